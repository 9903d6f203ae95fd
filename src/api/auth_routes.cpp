// POST /login, POST /logout, GET /me.
#include <fmt/format.h>

#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/auth_service.hpp"
#include "store/store.hpp"

namespace herald::api {
namespace {

std::string session_cookie(const char* name, std::string_view value, TimeMs max_age_ms,
                           bool http_only) {
  return fmt::format("{}={}; Path=/; Max-Age={}; SameSite=Strict{}", name, value, max_age_ms / 1000,
                     http_only ? "; HttpOnly" : "");
}

ApiResponse login(RequestContext& ctx) {
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"username", "password", "cookie"}); !fields) {
    return error_response(fields.error());
  }
  auto username = required_string(*body, "username");
  if (!username) return error_response(username.error());
  auto password = required_string(*body, "password");
  if (!password) return error_response(password.error());
  auto cookie = optional_bool(*body, "cookie");
  if (!cookie) return error_response(cookie.error());

  auto result = ctx.services().auth.login(*username, *password, ctx.request().remote_address);
  if (!result) return error_response(result.error());

  json::object reply;
  reply["user"] = to_json(result->user);
  reply["expires_at"] = format_rfc3339(result->expires_at);
  if (cookie->value_or(false)) {
    // Browsers keep the token in an HttpOnly cookie that scripts cannot read.
    std::string csrf = csrf_token_for(result->token);
    reply["csrf_token"] = csrf;
    ApiResponse response = json_response(200, reply);
    TimeMs lifetime = result->expires_at - system_now_ms();
    response.headers.emplace_back("Set-Cookie",
                                  session_cookie(kSessionCookie, result->token, lifetime, true));
    response.headers.emplace_back("Set-Cookie", session_cookie(kCsrfCookie, csrf, lifetime, false));
    return response;
  }
  reply["token"] = result->token;
  return json_response(200, reply);
}

ApiResponse logout(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto token = ctx.presented_token();
  if (auto revoked = ctx.services().auth.logout(token.value_or("")); !revoked) {
    return error_response(revoked.error());
  }
  ApiResponse response = no_content();
  response.headers.emplace_back("Set-Cookie", session_cookie(kSessionCookie, "", 0, true));
  response.headers.emplace_back("Set-Cookie", session_cookie(kCsrfCookie, "", 0, false));
  return response;
}

ApiResponse me(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto found = ctx.services().store.find_user_with_counts(caller->user_id);
  if (!found) return error_response(fail(errc::unauthorized, "the account no longer exists"));
  json::object unread;
  unread["inbox"] = found->second.inbox;
  unread["notifications"] = found->second.notifications;
  json::object reply;
  reply["user"] = to_json(found->first);
  reply["unread"] = std::move(unread);
  return json_response(200, reply);
}

}  // namespace

void add_auth_routes(Router& router) {
  router.add(Method::post, "/api/v1/login", Execution::worker, login);
  router.add(Method::post, "/api/v1/logout", Execution::worker, logout);
  router.add(Method::get, "/api/v1/me", Execution::io_thread, me);
}

}  // namespace herald::api
