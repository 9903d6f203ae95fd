// A small blocking HTTP client of the herald API (libcurl), for the command-line client.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace herald::cli {

struct ApiReply {
  long status = 0;  // 0 when the server could not be reached
  std::string body;
  std::string transport_error;
  boost::json::value json;  // the parsed body, or null

  bool ok() const noexcept { return status >= 200 && status < 300; }
  // "message (HTTP 404 not_found)", or the transport error.
  std::string describe_error() const;
};

class ApiClient {
 public:
  ApiClient(std::string base_url, std::string token);

  ApiReply get(std::string_view path) const { return send("GET", path, nullptr); }
  ApiReply del(std::string_view path) const { return send("DELETE", path, nullptr); }
  ApiReply post(std::string_view path, const boost::json::value& body) const;
  ApiReply patch(std::string_view path, const boost::json::value& body) const;
  ApiReply put(std::string_view path) const { return send("PUT", path, nullptr); }

  ApiReply send(const char* method, std::string_view path, const std::string* body) const;
  // POSTs the file's bytes as they are read (for attachments).
  ApiReply upload(std::string_view path, const std::string& file) const;

  // GETs a long-lived stream (Server-Sent Events) and hands each chunk of a 2xx body to
  // `on_data` as it arrives; an error reply's body is kept in the reply instead. There is no
  // limit on the transfer's duration. The transfer stops when `on_data` returns false, or when
  // `stop_requested` (polled at least once a second) returns true; the reply then carries a
  // transport error, which the caller, knowing why it stopped, may ignore.
  ApiReply stream(std::string_view path, const std::function<bool(std::string_view)>& on_data,
                  const std::function<bool()>& stop_requested = {}) const;

 private:
  std::string base_url_;
  std::string token_;
};

// Percent-encodes a query value.
std::string url_encode(std::string_view text);

}  // namespace herald::cli
