// The HTTP API as a function from ApiRequest to ApiResponse, independent of the transport.
// Thread-safe: handlers may run on any thread, concurrently.
#pragma once

#include <optional>

#include "api/http_types.hpp"
#include "api/live_admission.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"

namespace herald::api {

class Api {
 public:
  explicit Api(Services services);

  RouteMatch resolve(const ApiRequest& request) const;
  // Runs the matched handler, or answers 404/405. Never throws: a fault becomes a 500.
  ApiResponse handle(const ApiRequest& request, RouteMatch match);
  // For a matched route with an asynchronous handler: starts it. `respond` is called exactly
  // once, perhaps before this returns, perhaps later from another thread; a fault becomes a 500.
  // `offload` moves the handler's remaining work to the worker pool.
  void handle_async(const ApiRequest& request, RouteMatch match, Respond respond, Offload offload);
  // Whether the matched handler runs on the worker pool: worker routes, and also I/O-thread
  // routes while the caller's mailbox waits for the copies of a large send (see
  // Store::copies_pending), so that the wait never holds an I/O thread.
  bool runs_on_worker(const ApiRequest& request, const RouteMatch& match);
  // For routes that stream their body to disk: the refusal to send before reading the body
  // (an unauthenticated upload is refused before it costs any disk), or nothing.
  std::optional<ApiResponse> refuse_before_body(const ApiRequest& request, const RouteMatch& match);
  // Whether this request may open a live session, and as whom. Never throws.
  LiveAdmission admit_live(const ApiRequest& request, LiveEndpoint endpoint);

 private:
  Services services_;
  Router router_;
};

}  // namespace herald::api
