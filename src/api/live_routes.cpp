// /live/ticket and /sessions: tickets for browsers, and the admin's view of live sessions:
// list, alert, drop.
#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "api/live_events.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "common/time.hpp"
#include "core/live_tickets.hpp"
#include "live/hub.hpp"

namespace herald::api {
namespace {

constexpr std::size_t kMaxAlertBytes = 4096;

Error no_such_session() {
  return fail(errc::not_found, "no such session");
}

json::object session_json(const live::SessionSnapshot& session) {
  const auto& who = session.identity;
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? json::value(nullptr) : json::value(text);
  };
  return json::object{
      {"id", session.id},
      {"user", json::object{{"id", id_string(who.user_id)}, {"username", who.username}}},
      {"protocol", live::protocol_name(session.protocol)},
      {"client", text_or_null(who.client)},
      {"system_user", text_or_null(who.system_user)},
      {"remote_address", who.remote_address},
      {"connected_at", format_rfc3339(session.connected_at)},
      {"last_activity", format_rfc3339(session.last_activity)}};
}

ApiResponse issue_ticket(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto issued = ctx.services().tickets.issue(*caller, system_now_ms());
  if (!issued) {
    return error_response(fail(errc::rate_limited, "too many tickets outstanding; retry shortly"));
  }
  return json_response(201, json::object{{"ticket", issued->ticket},
                                         {"expires_at", format_rfc3339(issued->expires_at)}});
}

ApiResponse list_sessions(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  if (!caller->is_admin()) return error_response(fail(errc::forbidden, "only admins may do this"));
  auto query = ctx.query();
  if (!query) return error_response(query.error());
  auto limit = ctx.limit();
  if (!limit) return error_response(limit.error());
  std::string_view user = (*query)->get("user").value_or("");
  std::string_view cursor = (*query)->get("cursor").value_or("");
  auto sessions = ctx.services().live.list(user, cursor, static_cast<std::size_t>(*limit) + 1);
  json::value next = nullptr;
  if (sessions.size() > static_cast<std::size_t>(*limit)) {
    sessions.pop_back();
    next = json::value(sessions.back().id);
  }
  json::array items;
  for (const auto& session : sessions) items.push_back(session_json(session));
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

ApiResponse alert_sessions(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  if (caller->role == Role::user) {
    return error_response(fail(errc::forbidden, "only admins and senders may send alerts"));
  }
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"text", "session"}); !fields) {
    return error_response(fields.error());
  }
  auto text = required_string(*body, "text");
  if (!text) return error_response(text.error());
  if (text->empty() || text->size() > kMaxAlertBytes) {
    return error_response(fail(errc::bad_request, "text must be 1 to 4096 bytes"));
  }
  auto session = optional_string(*body, "session");
  if (!session) return error_response(session.error());
  std::string event = alert_event(*caller, *text, system_now_ms());
  std::size_t delivered = 0;
  if (*session) {
    auto count = ctx.services().live.publish_to_session(**session, event);
    if (!count) return error_response(no_such_session());
    delivered = *count;
  } else {
    delivered = ctx.services().live.publish_to_all(event);
  }
  return json_response(200, json::object{{"delivered", delivered}});
}

ApiResponse drop_session(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto session = ctx.services().live.find(ctx.param(0));
  // Users may end their own sessions; others' are not theirs to see.
  if (!session || (!caller->is_admin() && session->identity.user_id != caller->user_id)) {
    return error_response(no_such_session());
  }
  if (!ctx.services().live.drop(session->id, live::DropReason::dropped_by_admin)) {
    return error_response(no_such_session());
  }
  return no_content();
}

}  // namespace

void add_live_routes(Router& router) {
  router.add(Method::post, "/api/v1/live/ticket", Execution::io_thread, issue_ticket);
  router.add(Method::get, "/api/v1/sessions", Execution::io_thread, list_sessions);
  // Waits for every I/O thread to take the alert, so it must not run on one.
  router.add(Method::post, "/api/v1/sessions/alert", Execution::worker, alert_sessions);
  router.add(Method::del, "/api/v1/sessions/{id}", Execution::io_thread, drop_session);
}

}  // namespace herald::api
