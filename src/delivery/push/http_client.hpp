// A small blocking HTTP client on one libcurl easy handle that push senders keep between sends,
// so that one worker reuses its HTTP/2 connection to each push service.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::delivery {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given
  std::string body;

  // The value of the first header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct HttpResponse {
  long status = 0;  // 0 when no response arrived: see transport_error
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;  // at most HttpClientOptions::max_body bytes
  std::string transport_error;
  bool timed_out = false;

  const std::string* header(std::string_view lower_name) const;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};  // the whole exchange
  std::string ca_file;                             // empty: the system's trust store
  // For http:// URLs: speak HTTP/2 without upgrade (h2c); otherwise http:// is HTTP/1.1.
  // https:// always offers h2 through ALPN and falls back to HTTP/1.1. (With libcurl before
  // 8.0, h2c connections are not reused: that version cannot.)
  bool h2c_prior_knowledge = false;
  std::size_t max_body = 64 * 1024;  // the rest of a longer reply is dropped
};

// Not thread-safe: one per worker thread. Connections stay open between send() calls.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Blocks until the reply is complete, a timeout expires or the transfer fails.
  HttpResponse send(const HttpRequest& request);

 private:
  HttpClientOptions options_;
  void* curl_;  // CURL*, kept so that its connection cache lives across requests
};

}  // namespace herald::delivery
