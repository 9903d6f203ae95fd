// /users and /users/{id}.
#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/directory_service.hpp"

namespace herald::api {
namespace {

Error no_such_user() {
  return fail(errc::not_found, "no such user");
}

Result<Role> role_field(const json::object& body) {
  auto text = optional_string(body, "role");
  if (!text) return text.error();
  if (!*text) return Role::user;
  auto role = parse_role(**text);
  if (!role) return fail(errc::bad_request, "role must be 'admin', 'sender' or 'user'");
  return *role;
}

ApiResponse list_users(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  UserQuery query{std::string((*ctx.query())->get("q").value_or("")), *page};
  auto users = ctx.services().directory.list_users(*caller, query);
  if (!users) return error_response(users.error());
  json::array items;
  for (const User& user : users->items) items.push_back(to_json(user));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", cursor_json(users->next_after)}});
}

ApiResponse create_user(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"username", "display_name", "email", "role", "password"});
      !fields) {
    return error_response(fields.error());
  }
  CreateUserInput input;
  auto username = required_string(*body, "username");
  if (!username) return error_response(username.error());
  input.username = *username;
  auto display_name = optional_string(*body, "display_name");
  if (!display_name) return error_response(display_name.error());
  input.display_name = *display_name;
  auto email = optional_string(*body, "email");
  if (!email) return error_response(email.error());
  input.email = *email;
  auto role = role_field(*body);
  if (!role) return error_response(role.error());
  input.role = *role;
  auto password = optional_string(*body, "password");
  if (!password) return error_response(password.error());
  input.password = *password;

  auto user = ctx.services().directory.create_user(*caller, input);
  if (!user) return error_response(user.error());
  return json_response(201, to_json(*user));
}

ApiResponse get_user(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_user());
  auto user = ctx.services().directory.get_user(*caller, *id);
  if (!user) return error_response(user.error());
  return json_response(200, to_json(*user));
}

ApiResponse update_user(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_user());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields =
          allow_only(*body, {"display_name", "email", "role", "password", "current_password"});
      !fields) {
    return error_response(fields.error());
  }
  UpdateUserInput input;
  auto display_name = optional_string(*body, "display_name");
  if (!display_name) return error_response(display_name.error());
  input.display_name = *display_name;
  auto email = nullable_string(*body, "email");
  if (!email) return error_response(email.error());
  input.email = *email;
  if (body->contains("role")) {
    if (body->at("role").is_null()) {
      return error_response(fail(errc::bad_request, "role must be 'admin', 'sender' or 'user'"));
    }
    auto role = role_field(*body);
    if (!role) return error_response(role.error());
    input.role = *role;
  }
  auto password = optional_string(*body, "password");
  if (!password) return error_response(password.error());
  input.password = *password;
  auto current = optional_string(*body, "current_password");
  if (!current) return error_response(current.error());
  input.current_password = *current;

  auto user = ctx.services().directory.update_user(*caller, *id, input);
  if (!user) return error_response(user.error());
  return json_response(200, to_json(*user));
}

ApiResponse delete_user(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id)
    return error_response(caller->is_admin() ? no_such_user()
                                             : fail(errc::forbidden, "only admins may do this"));
  auto deleted = ctx.services().directory.delete_user(*caller, *id);
  if (!deleted) return error_response(deleted.error());
  return no_content();
}

}  // namespace

void add_user_routes(Router& router) {
  router.add(Method::get, "/api/v1/users", Execution::io_thread, list_users);
  router.add(Method::post, "/api/v1/users", Execution::worker, create_user);
  router.add(Method::get, "/api/v1/users/{id}", Execution::io_thread, get_user);
  router.add(Method::patch, "/api/v1/users/{id}", Execution::worker, update_user);
  router.add(Method::del, "/api/v1/users/{id}", Execution::worker, delete_user);
}

}  // namespace herald::api
