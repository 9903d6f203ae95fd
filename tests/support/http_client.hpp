// A blocking HTTP client for tests (libcurl), plus a raw-socket exchange for malformed requests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace herald::test {

struct HttpResult {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  boost::json::value json() const;  // throws when the body is not JSON
  std::optional<std::string> header(const std::string& lower_name) const;
  std::vector<std::string> headers_named(const std::string& lower_name) const;
  // The error code of a JSON error body, or "".
  std::string error_code() const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url) : base_url_(std::move(base_url)) {}

  HttpResult request(const std::string& method, const std::string& path,
                     const std::optional<std::string>& body = std::nullopt,
                     const std::vector<std::string>& headers = {}) const;

  // With "Authorization: Bearer token" when the token is not empty.
  HttpResult get(const std::string& path, const std::string& token = "") const;
  HttpResult post(const std::string& path, const std::string& body,
                  const std::string& token = "") const;
  HttpResult patch(const std::string& path, const std::string& body,
                   const std::string& token = "") const;
  HttpResult put(const std::string& path, const std::string& token = "") const;
  HttpResult del(const std::string& path, const std::string& token = "") const;

  // Logs in and returns the token; throws when the login fails.
  std::string login(const std::string& username, const std::string& password) const;

 private:
  std::string base_url_;
};

// Sends `bytes` on a fresh connection and returns whatever comes back until the server closes
// or `timeout_ms` passes.
std::string raw_exchange(unsigned short port, const std::string& bytes, int timeout_ms = 5000);

// The two halves of raw_exchange: connect and send (returns the socket; `sent`, if given, gets
// how many bytes went out before the server closed), then read until the server closes or
// `timeout_ms` passes (and close the socket).
int raw_send(unsigned short port, const std::string& bytes, std::size_t* sent = nullptr);
std::string raw_receive(int fd, int timeout_ms = 5000);

}  // namespace herald::test
