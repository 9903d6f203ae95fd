#include "cli/api_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <initializer_list>

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace herald::cli {
namespace {

// The headers of a request: the given ones, and the bearer token when there is one.
curl_slist* request_headers(const std::string& token, std::initializer_list<const char*> fixed) {
  curl_slist* headers = nullptr;
  for (const char* header : fixed) headers = curl_slist_append(headers, header);
  // libcurl copies each string, so a temporary will do.
  if (!token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  return headers;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// What the callbacks of ApiClient::stream share.
struct StreamState {
  CURL* curl = nullptr;
  ApiReply* reply = nullptr;
  const std::function<bool(std::string_view)>* on_data = nullptr;
  const std::function<bool()>* stop_requested = nullptr;
};

constexpr std::size_t kMaxErrorBody = 64 * 1024;

std::size_t stream_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& state = *static_cast<StreamState*>(user);
  std::size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(state.curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    // An error reply is a short JSON body, not events.
    if (state.reply->body.size() + n > kMaxErrorBody) return 0;
    state.reply->body.append(data, n);
    return n;
  }
  return (*state.on_data)(std::string_view(data, n)) ? n : 0;
}

int stream_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto& state = *static_cast<StreamState*>(user);
  return *state.stop_requested && (*state.stop_requested)() ? 1 : 0;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

}  // namespace

std::string ApiReply::describe_error() const {
  if (status == 0) return transport_error;
  std::string code = "error";
  std::string message = body;
  if (json.is_object()) {
    if (const auto* error = json.as_object().if_contains("error"); error && error->is_object()) {
      if (const auto* c = error->as_object().if_contains("code"); c && c->is_string()) {
        code = std::string(c->get_string());
      }
      if (const auto* m = error->as_object().if_contains("message"); m && m->is_string()) {
        message = std::string(m->get_string());
      }
    }
  }
  return fmt::format("{} (HTTP {} {})", message, status, code);
}

ApiClient::ApiClient(std::string base_url, std::string token)
    : base_url_(std::move(base_url)), token_(std::move(token)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

ApiReply ApiClient::post(std::string_view path, const boost::json::value& body) const {
  std::string text = boost::json::serialize(body);
  return send("POST", path, &text);
}

ApiReply ApiClient::patch(std::string_view path, const boost::json::value& body) const {
  std::string text = boost::json::serialize(body);
  return send("PATCH", path, &text);
}

ApiReply ApiClient::send(const char* method, std::string_view path, const std::string* body) const {
  static CurlGlobal global;
  ApiReply reply;
  CURL* curl = curl_easy_init();
  if (!curl) {
    reply.transport_error = "cannot start libcurl";
    return reply;
  }
  std::string url = base_url_ + std::string(path);
  curl_slist* headers = request_headers(token_, {"Accept: application/json"});
  if (body) headers = curl_slist_append(headers, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    boost::system::error_code ec;
    if (!reply.body.empty()) reply.json = boost::json::parse(reply.body, ec);
    if (ec) reply.json = nullptr;
  } else {
    reply.transport_error = fmt::format("cannot reach {}: {}", base_url_, curl_easy_strerror(rc));
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

ApiReply ApiClient::upload(std::string_view path, const std::string& file) const {
  ApiReply reply;
  FILE* in = std::fopen(file.c_str(), "rb");
  if (!in) {
    reply.transport_error = "cannot open " + file;
    return reply;
  }
  std::fseek(in, 0, SEEK_END);
  long size = std::ftell(in);
  std::fseek(in, 0, SEEK_SET);
  CURL* curl = curl_easy_init();
  std::string url = base_url_ + std::string(path);
  curl_slist* headers = request_headers(token_, {"Content-Type: application/octet-stream"});
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_READDATA, in);  // libcurl reads it with fread
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(size));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    boost::system::error_code ec;
    reply.json = boost::json::parse(reply.body, ec);
    if (ec) reply.json = nullptr;
  } else {
    reply.transport_error = fmt::format("cannot reach {}: {}", base_url_, curl_easy_strerror(rc));
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  std::fclose(in);
  return reply;
}

ApiReply ApiClient::stream(std::string_view path,
                           const std::function<bool(std::string_view)>& on_data,
                           const std::function<bool()>& stop_requested) const {
  static CurlGlobal global;
  ApiReply reply;
  CURL* curl = curl_easy_init();
  if (!curl) {
    reply.transport_error = "cannot start libcurl";
    return reply;
  }
  StreamState state{curl, &reply, &on_data, &stop_requested};
  std::string url = base_url_ + std::string(path);
  curl_slist* headers = request_headers(token_, {"Accept: text/event-stream"});
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, stream_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stream_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &state);
  // A stream lasts as long as it lasts and may be quiet for long: only connecting is bounded.
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 0L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 0L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  if (!reply.ok() && !reply.body.empty()) {
    boost::system::error_code ec;
    reply.json = boost::json::parse(reply.body, ec);
    if (ec) reply.json = nullptr;
  }
  if (rc != CURLE_OK) {
    bool connected = reply.status != 0;
    reply.transport_error =
        fmt::format("{} {}: {}", connected ? "lost the connection to" : "cannot reach", base_url_,
                    curl_easy_strerror(rc));
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace herald::cli
