// GET /healthz and GET /metrics, outside /api/v1 and without authentication.
#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "common/metrics.hpp"
#include "store/store.hpp"

namespace herald::api {
namespace {

ApiResponse healthz(RequestContext& ctx) {
  try {
    ctx.services().store.check_readable();
  } catch (const std::exception& e) {
    return json_response(503, json::object{{"status", "unavailable"}, {"reason", e.what()}});
  }
  return json_response(200, json::object{{"status", "ok"}});
}

ApiResponse prometheus_metrics(RequestContext&) {
  ApiResponse response;
  response.body = metrics().render_prometheus();
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return response;
}

}  // namespace

void add_operations_routes(Router& router) {
  router.add(Method::get, "/healthz", Execution::io_thread, healthz);
  router.add(Method::get, "/metrics", Execution::io_thread, prometheus_metrics);
}

}  // namespace herald::api
