// GET /folders and GET /folders/{name}/messages.
#include <map>
#include <string>

#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "api/mail_json.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/mail_service.hpp"

namespace herald::api {
namespace {

ApiResponse list_folders(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  json::array items;
  for (const auto& summary : ctx.services().mail.folders(*caller)) {
    items.push_back(json::object{{"name", folder_name(summary.folder)},
                                 {"total", summary.total},
                                 {"unread", summary.unread}});
  }
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

ApiResponse folder_messages(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto folder = parse_folder(ctx.param(0));
  if (!folder) return error_response(fail(errc::not_found, "no such folder"));
  auto params = ctx.query();
  if (!params) return error_response(params.error());
  auto limit = ctx.limit();
  if (!limit) return error_response(limit.error());
  FolderQuery query;
  query.folder = *folder;
  query.limit = *limit;
  if (auto cursor = (*params)->get("cursor"); cursor && !cursor->empty()) {
    query.after = decode_folder_cursor(*cursor);
    if (!query.after) {
      return error_response(fail(errc::bad_request, "the cursor is not one this server gave out"));
    }
  }
  if (auto unread = (*params)->get("unread")) {
    if (*unread != "true" && *unread != "false") {
      return error_response(fail(errc::bad_request, "unread must be true or false"));
    }
    query.unread_only = *unread == "true";
  }
  if (auto kind = (*params)->get("kind"); kind && !kind->empty()) {
    query.kind = parse_kind(*kind);
    if (!query.kind) {
      return error_response(fail(errc::bad_request, "kind must be mail, broadcast or notice"));
    }
  }
  auto result = ctx.services().mail.folder(*caller, query);
  if (!result) return error_response(result.error());
  json::array items;
  // Sent mail and drafts show whom they are for; one lookup per address on the page.
  bool outgoing = *folder == Folder::sent || *folder == Folder::drafts;
  std::map<std::string, json::object, std::less<>> named;
  for (const auto& item : result->items) {
    json::object entry = to_json(item);
    if (outgoing) {
      json::array to;
      for (const auto& address : split_addresses(item.to_addresses)) {
        auto known = named.find(address);
        if (known == named.end()) {
          auto described = ctx.services().mail.describe(address);
          json::object one{{"address", address},
                           {"name", described.empty() ? address : described.front().name}};
          known = named.emplace(address, std::move(one)).first;
        }
        to.push_back(known->second);
      }
      entry["to"] = std::move(to);
    }
    items.push_back(std::move(entry));
  }
  json::value next = result->next ? json::value(encode_folder_cursor(*result->next)) : nullptr;
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void add_folder_routes(Router& router) {
  router.add(Method::get, "/api/v1/folders", Execution::io_thread, list_folders);
  router.add(Method::get, "/api/v1/folders/{name}/messages", Execution::io_thread, folder_messages);
}

}  // namespace herald::api
