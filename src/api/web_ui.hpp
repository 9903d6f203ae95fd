// Serves the embedded web UI on the API's port: its files by path, and index.html for any
// other page path (/mail/inbox, /messages/42), which the UI's router then reads.
#pragma once

#include <optional>

#include "api/http_types.hpp"

namespace herald::api {

// The answer for a GET or HEAD outside /api/, or nothing when the request is not the UI's.
std::optional<ApiResponse> serve_web_ui(const ApiRequest& request);

}  // namespace herald::api
