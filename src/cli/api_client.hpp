// A small blocking HTTP client of the herald API (libcurl), for the command-line client.
#pragma once

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

 private:
  std::string base_url_;
  std::string token_;
};

// Percent-encodes a query value.
std::string url_encode(std::string_view text);

}  // namespace herald::cli
