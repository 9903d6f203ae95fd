#include "delivery/push/push_reply.hpp"

#include <curl/curl.h>

#include <charconv>

namespace herald::delivery {
namespace {

constexpr std::size_t kMaxDetailBody = 300;

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, TimeMs now_ms) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // libcurl reads all three HTTP-date forms (IMF-fixdate, RFC 850, asctime).
  std::string text(value);
  time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  std::int64_t delay = static_cast<std::int64_t>(when) - now_ms / 1000;
  return std::chrono::seconds(delay > 0 ? delay : 0);
}

std::optional<std::chrono::seconds> retry_after_of(const HttpResponse& response, TimeMs now_ms) {
  const std::string* value = response.header("retry-after");
  if (!value) return std::nullopt;
  return parse_retry_after(*value, now_ms);
}

std::string reply_detail(const HttpResponse& response) {
  std::string detail = "HTTP " + std::to_string(response.status);
  if (response.body.empty()) return detail;
  std::string_view body = response.body;
  if (body.size() > kMaxDetailBody) {
    std::size_t cut = kMaxDetailBody;
    // Back up over UTF-8 continuation bytes so that the cut does not split a character.
    while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
    body = body.substr(0, cut);
  }
  detail += ": ";
  for (char c : body) detail += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (body.size() < response.body.size()) detail += "...";
  return detail;
}

Outcome transport_failure(const HttpResponse& response) {
  Outcome outcome;
  outcome.verdict = Verdict::retry;
  outcome.detail = (response.timed_out ? "timed out: " : "no reply: ") + response.transport_error;
  return outcome;
}

}  // namespace herald::delivery
