// The bell: GET /notifications, POST /notifications/{id}/read, DELETE /notifications/{id}.
#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "api/live_events.hpp"
#include "api/mail_json.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "store/store.hpp"

namespace herald::api {
namespace {

Error no_such_notification() {
  return fail(errc::not_found, "no such notification");
}

ApiResponse list_notifications(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  auto& store = ctx.services().store;
  auto result = store.notifications(caller->user_id, *page);
  json::array items;
  for (const auto& n : result.items) items.push_back(to_json(n));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", cursor_json(result.next_after)},
                                         {"unread", store.unread_notifications(caller->user_id)}});
}

template <bool kDelete>
ApiResponse change_notification(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_notification());
  auto& store = ctx.services().store;
  auto done = kDelete ? store.delete_notification(caller->user_id, *id)
                      : store.mark_notification_read(caller->user_id, *id);
  if (!done) return error_response(done.error());
  publish_counts(ctx.services(), caller->user_id);
  return no_content();
}

}  // namespace

void add_notification_routes(Router& router) {
  router.add(Method::get, "/api/v1/notifications", Execution::io_thread, list_notifications);
  router.add(Method::post, "/api/v1/notifications/{id}/read", Execution::worker,
             change_notification<false>);
  router.add(Method::del, "/api/v1/notifications/{id}", Execution::worker,
             change_notification<true>);
}

}  // namespace herald::api
