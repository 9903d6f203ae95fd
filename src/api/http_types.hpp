// Transport-neutral HTTP request and response types: the net layer converts Beast messages
// to and from these, so that handlers compile without Beast.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::api {

enum class Method { get, head, post, put, patch, del, options, other };

Method parse_method(std::string_view text) noexcept;
const char* method_name(Method method) noexcept;

struct ApiRequest {
  Method method = Method::get;
  std::string path;   // percent-encoded path, without the query
  std::string query;  // raw query string, without '?'
  std::string body;
  std::string authorization;
  std::string cookie;
  std::string csrf_token;  // the X-CSRF-Token header
  std::string content_type;
  std::string remote_address;
  std::string host;             // the Host header
  std::string origin;           // the Origin header, sent by browsers
  std::string accept_encoding;  // the Accept-Encoding header (the web UI's files are gzipped)
  // For routes that stream their body to disk: the file holding it, and its size.
  std::string body_file;
  std::uint64_t body_size = 0;
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string file_path;  // when set, the body is this file's content (downloads)
};

}  // namespace herald::api
