// Pieces every push sender uses to turn a push service's reply into an Outcome: Retry-After,
// the error detail kept for the delivery row, and what a failed exchange means.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.hpp"
#include "delivery/channel.hpp"
#include "delivery/push/http_client.hpp"

namespace herald::delivery {

// Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), relative to `now_ms`; a date
// in the past is zero seconds. nullopt when absent or unreadable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, TimeMs now_ms);

// The reply's Retry-After header, parsed.
std::optional<std::chrono::seconds> retry_after_of(const HttpResponse& response, TimeMs now_ms);

// "HTTP 400: <body>" with the body cut to a few hundred bytes on a UTF-8 boundary and its line
// breaks flattened, for Outcome::detail.
std::string reply_detail(const HttpResponse& response);

// No reply arrived (refused, reset, timed out): worth another try.
Outcome transport_failure(const HttpResponse& response);

}  // namespace herald::delivery
