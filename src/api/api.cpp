#include "api/api.hpp"

#include <atomic>
#include <memory>

#include <spdlog/spdlog.h>

#include "api/json_io.hpp"
#include "api/routes.hpp"
#include "api/web_ui.hpp"
#include "store/store.hpp"

namespace herald::api {

Api::Api(Services services) : services_(services) {
  add_auth_routes(router_);
  add_user_routes(router_);
  add_group_routes(router_);
  add_directory_routes(router_);
  add_operations_routes(router_);
  add_message_routes(router_);
  add_folder_routes(router_);
  add_blob_routes(router_);
  add_notification_routes(router_);
  add_rule_routes(router_);
  add_live_routes(router_);
  add_device_routes(router_);
  add_notice_routes(router_);
  add_broadcast_routes(router_);
}

RouteMatch Api::resolve(const ApiRequest& request) const {
  return router_.match(request.method, request.path);
}

std::optional<ApiResponse> Api::refuse_before_body(const ApiRequest& request,
                                                   const RouteMatch& match) {
  if (!match.route || !match.route->body_to_file) return std::nullopt;
  try {
    RequestContext ctx(request, match.params, services_);
    if (auto caller = ctx.principal(); !caller) return error_response(caller.error());
  } catch (const std::exception& e) {
    spdlog::error("authenticating an upload failed: {}", e.what());
    return error_response(fail(errc::internal, "internal error"));
  }
  return std::nullopt;
}

LiveAdmission Api::admit_live(const ApiRequest& request, LiveEndpoint endpoint) {
  try {
    return api::admit_live(services_, request, endpoint);
  } catch (const std::exception& e) {
    spdlog::error("admitting a live session failed: {}", e.what());
    LiveAdmission refused;
    refused.refusal = error_response(fail(errc::internal, "internal error"));
    return refused;
  }
}

ApiResponse Api::handle(const ApiRequest& request, RouteMatch match) {
  if (!match.route) {
    if (match.path_known) {
      json::object error{{"code", "method_not_allowed"},
                         {"message", "this path does not take that method"}};
      return json_response(405, json::object{{"error", std::move(error)}});
    }
    if (auto page = serve_web_ui(request)) return std::move(*page);
    return error_response(fail(errc::not_found, "no such endpoint"));
  }
  try {
    RequestContext ctx(request, std::move(match.params), services_);
    return match.route->handler(ctx);
  } catch (const std::exception& e) {
    spdlog::error("handler failed: {} {}: {}", method_name(request.method), request.path, e.what());
    return error_response(fail(errc::internal, "internal error"));
  }
}

bool Api::runs_on_worker(const ApiRequest& request, const RouteMatch& match) {
  if (!match.route) return false;
  if (match.route->execution == Execution::worker) return true;
  if (!services_.store.copies_pending()) return false;  // the usual case: one atomic load
  RequestContext ctx(request, {}, services_);
  auto caller = ctx.principal();
  return caller.ok() && services_.store.copies_pending_for(caller->user_id);
}

void Api::handle_async(const ApiRequest& request, RouteMatch match, Respond respond,
                       Offload offload) {
  // Whatever the handler does, the transport hears back exactly once.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Respond once = [answered, respond](std::function<ApiResponse()> build) {
    if (!answered->exchange(true)) respond(std::move(build));
  };
  // What the handler hands over fails the same way, wherever it runs.
  Offload guarded = [once, offload = std::move(offload),
                     where = std::string(method_name(request.method)) + " " +
                             request.path](std::function<void()> task) {
    offload([once, where, task = std::move(task)] {
      try {
        task();
      } catch (const std::exception& e) {
        spdlog::error("handler failed: {}: {}", where, e.what());
        once([] { return error_response(fail(errc::internal, "internal error")); });
      }
    });
  };
  try {
    RequestContext ctx(request, std::move(match.params), services_);
    match.route->async_handler(ctx, once, guarded);
  } catch (const std::exception& e) {
    spdlog::error("handler failed: {} {}: {}", method_name(request.method), request.path, e.what());
    once([] { return error_response(fail(errc::internal, "internal error")); });
  }
}

}  // namespace herald::api
