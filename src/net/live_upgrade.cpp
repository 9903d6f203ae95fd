#include "net/live_upgrade.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

#include "live/websocket_codec.hpp"

namespace herald::net {
namespace {

namespace http = boost::beast::http;

// True when the comma-separated header value lists `token` (case-insensitive).
bool lists_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (boost::beast::iequals(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

api::ApiResponse refusal(int status, std::string_view code, std::string_view message) {
  api::ApiResponse response;
  response.status = status;
  response.body = std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" +
                  std::string(message) + R"("}})";
  return response;
}

bool looks_like_key(std::string_view key) {
  // 16 random bytes in base64: 22 characters and "==".
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (char c : key.substr(0, 22)) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::variant<std::string, api::ApiResponse> websocket_accept(const http::request_header<>& header) {
  if (!lists_token(header[http::field::upgrade], "websocket") ||
      !lists_token(header[http::field::connection], "upgrade")) {
    auto response =
        refusal(426, "upgrade_required", "this endpoint is a WebSocket: send an upgrade request");
    response.headers.emplace_back("Upgrade", "websocket");
    return response;
  }
  if (header[http::field::sec_websocket_version] != "13") {
    auto response = refusal(426, "upgrade_required", "only WebSocket version 13 is spoken");
    response.headers.emplace_back("Sec-WebSocket-Version", "13");
    return response;
  }
  std::string_view key = header[http::field::sec_websocket_key];
  if (!looks_like_key(key)) {
    return refusal(400, "bad_request", "missing or malformed Sec-WebSocket-Key");
  }
  return live::websocket_accept_key(key);
}

std::string websocket_switching_response(std::string_view accept) {
  std::string out =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Server: herald\r\n"
      "Upgrade: websocket\r\n"
      "Connection: Upgrade\r\n"
      "Sec-WebSocket-Accept: ";
  out.append(accept);
  out.append("\r\n\r\n");
  return out;
}

std::string sse_stream_head() {
  return "HTTP/1.1 200 OK\r\n"
         "Server: herald\r\n"
         "Content-Type: text/event-stream\r\n"
         "Cache-Control: no-store\r\n"
         "X-Content-Type-Options: nosniff\r\n"
         "X-Accel-Buffering: no\r\n"
         "Transfer-Encoding: chunked\r\n"
         "\r\n";
}

}  // namespace herald::net
