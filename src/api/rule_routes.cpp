// Communication rules (admins): GET /rules, POST /rules, DELETE /rules/{id}.
#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "store/store.hpp"

namespace herald::api {
namespace {

json::object rule_json(const CommunicationRule& rule) {
  return json::object{{"id", id_string(rule.id)},
                      {"from_group", id_string(rule.from_group)},
                      {"to_group", id_string(rule.to_group)},
                      {"created_at", format_rfc3339(rule.created_at)}};
}

Result<Principal> admin(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return caller.error();
  if (!caller->is_admin()) return fail(errc::forbidden, "only admins may do this");
  return *caller;
}

ApiResponse list_rules(RequestContext& ctx) {
  if (auto caller = admin(ctx); !caller) return error_response(caller.error());
  json::array items;
  for (const auto& rule : ctx.services().store.list_rules()) items.push_back(rule_json(rule));
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

ApiResponse create_rule(RequestContext& ctx) {
  if (auto caller = admin(ctx); !caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"from_group", "to_group"}); !fields) {
    return error_response(fields.error());
  }
  auto from = required_string(*body, "from_group");
  if (!from) return error_response(from.error());
  auto to = required_string(*body, "to_group");
  if (!to) return error_response(to.error());
  auto from_id = parse_id(*from);
  auto to_id = parse_id(*to);
  if (!from_id || !to_id) return error_response(fail(errc::not_found, "no such group"));
  auto rule = ctx.services().store.create_rule(*from_id, *to_id);
  if (!rule) return error_response(rule.error());
  return json_response(201, rule_json(*rule));
}

ApiResponse delete_rule(RequestContext& ctx) {
  if (auto caller = admin(ctx); !caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(fail(errc::not_found, "no such rule"));
  auto deleted = ctx.services().store.delete_rule(*id);
  if (!deleted) return error_response(deleted.error());
  return no_content();
}

}  // namespace

void add_rule_routes(Router& router) {
  router.add(Method::get, "/api/v1/rules", Execution::io_thread, list_rules);
  router.add(Method::post, "/api/v1/rules", Execution::worker, create_rule);
  router.add(Method::del, "/api/v1/rules/{id}", Execution::worker, delete_rule);
}

}  // namespace herald::api
