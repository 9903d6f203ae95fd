#include "delivery/push/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace herald::delivery {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

struct Exchange {
  HttpResponse* response;
  std::size_t max_body;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new status line (after a 100 Continue, say): only the final reply's headers count.
    exchange.response->headers.clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(trim(line.substr(0, colon)));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    exchange.response->headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  std::string& body = exchange.response->body;
  std::size_t n = size * count;
  if (body.size() < exchange.max_body)
    body.append(data, std::min(n, exchange.max_body - body.size()));
  return n;
}

void init_curl_once() {
  static const bool initialised = [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("cannot initialise libcurl");
    }
    return true;
  }();
  (void)initialised;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return &value;
  }
  return nullptr;
}

const std::string* HttpResponse::header(std::string_view lower_name) const {
  for (const auto& [key, value] : headers) {
    if (key == lower_name) return &value;
  }
  return nullptr;
}

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {
  init_curl_once();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("cannot create a libcurl handle");
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpClient::send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  // Options go back to their defaults, but the connection cache survives the reset.
  curl_easy_reset(curl);

  HttpResponse response;
  Exchange exchange{&response, options_.max_body};
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  // libcurl would otherwise add these on its own: no 100-continue round trip, and no
  // form content type on a body that says nothing of its type.
  headers = curl_slist_append(headers, "Expect:");
  if (!request.header("Content-Type")) headers = curl_slist_append(headers, "Content-Type:");

  bool plain_http = request.url.starts_with("http://");
  long version = plain_http && options_.h2c_prior_knowledge ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
                                                            : CURL_HTTP_VERSION_2TLS;
  // libcurl before 8.0 breaks a reused prior-knowledge connection ("Error in the HTTP2
  // framing layer"): there, each h2c request gets a connection of its own.
  static const bool h2c_reuse_broken = curl_version_info(CURLVERSION_NOW)->version_num < 0x080000;
  if (version == CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE && h2c_reuse_broken) {
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  }
  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, version);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (request.method != "GET" && request.method != "HEAD") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());

  CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.status = 0;
    response.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    response.transport_error = error_text[0] ? error_text : curl_easy_strerror(code);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);
  return response;
}

}  // namespace herald::delivery
