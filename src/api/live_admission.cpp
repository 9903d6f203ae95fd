#include "api/live_admission.hpp"

#include "api/json_io.hpp"
#include "api/query_params.hpp"
#include "api/request_context.hpp"
#include "common/time.hpp"
#include "core/auth_service.hpp"
#include "core/live_tickets.hpp"

namespace herald::api {
namespace {

constexpr std::size_t kMaxIdentityField = 128;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// An Origin of "scheme://host[:port]" matches a Host of "host[:port]".
bool same_origin(std::string_view origin, std::string_view host) {
  auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return false;
  return lower(origin.substr(scheme_end + 3)) == lower(host);
}

LiveAdmission refuse(const Error& error) {
  LiveAdmission admission;
  admission.refusal = error_response(error);
  return admission;
}

}  // namespace

LiveEndpoint live_endpoint(const ApiRequest& request) noexcept {
  if (request.method != Method::get) return LiveEndpoint::none;
  if (request.path == "/api/v1/live") return LiveEndpoint::websocket;
  if (request.path == "/api/v1/events") return LiveEndpoint::sse;
  return LiveEndpoint::none;
}

LiveAdmission admit_live(Services& services, const ApiRequest& request, LiveEndpoint endpoint) {
  auto query = QueryParams::parse(request.query);
  if (!query) return refuse(fail(errc::bad_request, "malformed query string"));
  LiveAdmission admission;
  admission.identity.remote_address = request.remote_address;
  for (auto [name, target] : {std::pair{"client", &admission.identity.client},
                              {"system_user", &admission.identity.system_user}}) {
    auto value = query->get(name);
    if (!value) continue;
    if (value->size() > kMaxIdentityField) {
      return refuse(fail(errc::bad_request, std::string(name) + " is at most 128 bytes"));
    }
    *target = std::string(*value);
  }
  RequestContext ctx(request, {}, services);
  if (!request.authorization.empty()) {
    auto caller = ctx.principal();
    if (!caller) return refuse(caller.error());
    admission.principal = *caller;
    return admission;
  }
  if (auto ticket = query->get("ticket")) {
    auto holder = services.tickets.redeem(*ticket, system_now_ms());
    if (!holder) {
      return refuse(fail(errc::unauthorized, "the ticket is unknown, used or expired"));
    }
    admission.principal = *holder;
    return admission;
  }
  if (cookie_value(request.cookie, kSessionCookie)) {
    if (!request.origin.empty() && !same_origin(request.origin, request.host)) {
      return refuse(fail(errc::forbidden, "a live session by cookie must come from this site"));
    }
    auto caller = ctx.principal();
    if (!caller) return refuse(caller.error());
    admission.principal = *caller;
    return admission;
  }
  if (endpoint == LiveEndpoint::sse) {
    return refuse(fail(errc::unauthorized, "log in first: a bearer token, a ticket or the cookie"));
  }
  return admission;  // a WebSocket that will say hello
}

std::optional<Principal> authenticate_hello(Services& services, std::string_view token,
                                            std::string_view ticket) {
  if (!token.empty()) {
    auto caller = services.auth.authenticate(token);
    if (!caller) return std::nullopt;
    return *caller;
  }
  if (!ticket.empty()) return services.tickets.redeem(ticket, system_now_ms());
  return std::nullopt;
}

}  // namespace herald::api
