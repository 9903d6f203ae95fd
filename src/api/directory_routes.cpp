// GET /directory?q=: the users and groups the caller may address.
#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/directory_service.hpp"

namespace herald::api {
namespace {

ApiResponse search_directory(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  std::string_view prefix = (*ctx.query())->get("q").value_or("");
  if (prefix.size() > 200) return error_response(fail(errc::bad_request, "q is too long"));
  auto entries = ctx.services().directory.search(*caller, prefix, page->limit);
  if (!entries) return error_response(entries.error());
  json::array items;
  for (const DirectoryEntry& entry : *entries) items.push_back(to_json(entry));
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

}  // namespace

void add_directory_routes(Router& router) {
  router.add(Method::get, "/api/v1/directory", Execution::io_thread, search_directory);
}

}  // namespace herald::api
