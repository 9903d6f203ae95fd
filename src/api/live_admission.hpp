// Who may open a live session (WebSocket or SSE), checked before the connection is upgraded.
#pragma once

#include <optional>

#include "api/http_types.hpp"
#include "core/model.hpp"
#include "live/hub.hpp"

namespace herald::api {

struct Services;

enum class LiveEndpoint { none, websocket, sse };

// GET /api/v1/live and GET /api/v1/events; none for every other request.
LiveEndpoint live_endpoint(const ApiRequest& request) noexcept;

struct LiveAdmission {
  std::optional<ApiResponse> refusal;  // answer this and close
  std::optional<Principal> principal;  // empty: a WebSocket that must say hello first
  live::SessionIdentity identity;
};

// Credentials, in order: bearer token, ?ticket=, the session cookie (same origin only), or, for a
// WebSocket, none yet. Also reads ?client= and ?system_user=.
LiveAdmission admit_live(Services& services, const ApiRequest& request, LiveEndpoint endpoint);

// Checks a `hello` frame's token or ticket.
std::optional<Principal> authenticate_hello(Services& services, std::string_view token,
                                            std::string_view ticket);

}  // namespace herald::api
