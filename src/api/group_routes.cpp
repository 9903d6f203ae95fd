// /groups, /groups/{id} and /groups/{id}/members/{user}.
#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/directory_service.hpp"

namespace herald::api {
namespace {

Error no_such_group() {
  return fail(errc::not_found, "no such group");
}

// Admins see members' full records; everyone else sees names only.
json::value members_page_json(const Page<User>& members, bool full) {
  json::array items;
  for (const User& user : members.items) {
    items.push_back(full ? to_json(user) : to_json_summary(user));
  }
  return json::object{{"items", std::move(items)},
                      {"next_cursor", cursor_json(members.next_after)}};
}

ApiResponse list_groups(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  GroupQuery query{std::string((*ctx.query())->get("q").value_or("")), *page};
  auto groups = ctx.services().directory.list_groups(*caller, query);
  if (!groups) return error_response(groups.error());
  json::array items;
  for (const Group& group : groups->items) items.push_back(to_json(group));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", cursor_json(groups->next_after)}});
}

ApiResponse create_group(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"name", "description"}); !fields) {
    return error_response(fields.error());
  }
  auto name = required_string(*body, "name");
  if (!name) return error_response(name.error());
  auto description = optional_string(*body, "description");
  if (!description) return error_response(description.error());
  auto group = ctx.services().directory.create_group(*caller, {*name, description->value_or("")});
  if (!group) return error_response(group.error());
  return json_response(201, to_json(*group));
}

// The group with the first page of its members (?limit=, ?cursor= page through them).
ApiResponse get_group(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_group());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  auto group = ctx.services().directory.get_group(*caller, *id);
  if (!group) return error_response(group.error());
  auto members = ctx.services().directory.list_members(*caller, *id, *page);
  if (!members) return error_response(members.error());
  json::object reply = to_json(*group);
  json::value page_json = members_page_json(*members, caller->is_admin());
  reply["members"] = page_json.as_object()["items"];
  reply["members_next_cursor"] = page_json.as_object()["next_cursor"];
  return json_response(200, reply);
}

ApiResponse list_members(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_group());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  auto members = ctx.services().directory.list_members(*caller, *id, *page);
  if (!members) return error_response(members.error());
  return json_response(200, members_page_json(*members, caller->is_admin()));
}

ApiResponse update_group(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_group());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"name", "description"}); !fields) {
    return error_response(fields.error());
  }
  auto name = optional_string(*body, "name");
  if (!name) return error_response(name.error());
  auto description = optional_string(*body, "description");
  if (!description) return error_response(description.error());
  auto group = ctx.services().directory.update_group(*caller, *id, {*name, *description});
  if (!group) return error_response(group.error());
  return json_response(200, to_json(*group));
}

ApiResponse delete_group(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!caller->is_admin()) return error_response(fail(errc::forbidden, "only admins may do this"));
  if (!id) return error_response(no_such_group());
  auto deleted = ctx.services().directory.delete_group(*caller, *id);
  if (!deleted) return error_response(deleted.error());
  return no_content();
}

template <bool kAdd>
ApiResponse change_membership(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  if (!caller->is_admin()) return error_response(fail(errc::forbidden, "only admins may do this"));
  auto group = parse_id(ctx.param(0));
  if (!group) return error_response(no_such_group());
  auto user = parse_id(ctx.param(1));
  if (!user) return error_response(fail(errc::not_found, "no such user"));
  auto& directory = ctx.services().directory;
  auto changed = kAdd ? directory.add_member(*caller, *group, *user)
                      : directory.remove_member(*caller, *group, *user);
  if (!changed) return error_response(changed.error());
  return no_content();
}

}  // namespace

void add_group_routes(Router& router) {
  router.add(Method::get, "/api/v1/groups", Execution::io_thread, list_groups);
  router.add(Method::post, "/api/v1/groups", Execution::worker, create_group);
  router.add(Method::get, "/api/v1/groups/{id}", Execution::io_thread, get_group);
  router.add(Method::patch, "/api/v1/groups/{id}", Execution::worker, update_group);
  router.add(Method::del, "/api/v1/groups/{id}", Execution::worker, delete_group);
  router.add(Method::get, "/api/v1/groups/{id}/members", Execution::io_thread, list_members);
  router.add(Method::put, "/api/v1/groups/{id}/members/{user}", Execution::worker,
             change_membership<true>);
  router.add(Method::del, "/api/v1/groups/{id}/members/{user}", Execution::worker,
             change_membership<false>);
}

}  // namespace herald::api
