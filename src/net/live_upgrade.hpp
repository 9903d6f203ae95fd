// The HTTP side of opening a live session: checking a WebSocket upgrade request and the bytes
// that answer it (101 Switching Protocols, or the head of an SSE stream).
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <boost/beast/http/message.hpp>

#include "api/http_types.hpp"

namespace herald::net {

// The Sec-WebSocket-Accept value for a valid upgrade request, or the response refusing it
// (400 for a malformed one, 426 for a plain GET or another protocol version).
std::variant<std::string, api::ApiResponse> websocket_accept(
    const boost::beast::http::request_header<>& header);

std::string websocket_switching_response(std::string_view accept);
std::string sse_stream_head();

}  // namespace herald::net
