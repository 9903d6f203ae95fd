#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace herald::test {
namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* out) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    static_cast<HttpResult*>(out)->headers.emplace_back(std::move(name), std::move(value));
  }
  return size * count;
}

std::vector<std::string> with_token(const std::string& token,
                                    std::vector<std::string> headers = {}) {
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return headers;
}

}  // namespace

boost::json::value HttpResult::json() const {
  return boost::json::parse(body);
}

std::optional<std::string> HttpResult::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> HttpResult::headers_named(const std::string& lower_name) const {
  std::vector<std::string> values;
  for (const auto& [name, value] : headers) {
    if (name == lower_name) values.push_back(value);
  }
  return values;
}

std::string HttpResult::error_code() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return "";
  const auto* error = value.as_object().if_contains("error");
  if (!error || !error->is_object()) return "";
  const auto* code = error->as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->get_string()) : "";
}

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::optional<std::string>& body,
                               const std::vector<std::string>& headers) const {
  HttpResult result;
  CURL* curl = curl_easy_init();
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  std::string url = base_url_ + path;
  curl_slist* list = nullptr;
  for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
  if (body) list = curl_slist_append(list, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    throw std::runtime_error(std::string("HTTP request failed: ") + curl_easy_strerror(rc));
  }
  return result;
}

HttpResult HttpClient::get(const std::string& path, const std::string& token) const {
  return request("GET", path, std::nullopt, with_token(token));
}

HttpResult HttpClient::post(const std::string& path, const std::string& body,
                            const std::string& token) const {
  return request("POST", path, body, with_token(token));
}

HttpResult HttpClient::patch(const std::string& path, const std::string& body,
                             const std::string& token) const {
  return request("PATCH", path, body, with_token(token));
}

HttpResult HttpClient::put(const std::string& path, const std::string& token) const {
  return request("PUT", path, std::nullopt, with_token(token));
}

HttpResult HttpClient::del(const std::string& path, const std::string& token) const {
  return request("DELETE", path, std::nullopt, with_token(token));
}

std::string HttpClient::login(const std::string& username, const std::string& password) const {
  boost::json::object body{{"username", username}, {"password", password}};
  auto result = post("/api/v1/login", boost::json::serialize(body));
  if (result.status != 200) {
    throw std::runtime_error("login of " + username + " failed: " + result.body);
  }
  return std::string(result.json().at("token").as_string());
}

std::string raw_exchange(unsigned short port, const std::string& bytes, int timeout_ms) {
  return raw_receive(raw_send(port, bytes), timeout_ms);
}

int raw_send(unsigned short port, const std::string& bytes, std::size_t* sent_out) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early, e.g. on an oversized header
    sent += static_cast<std::size_t>(n);
  }
  if (sent_out) *sent_out = sent;
  return fd;
}

std::string raw_receive(int fd, int timeout_ms) {
  std::string reply;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd waiting{fd, POLLIN, 0};
    if (::poll(&waiting, 1, 50) <= 0) continue;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

}  // namespace herald::test
