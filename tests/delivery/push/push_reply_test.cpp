#include <gtest/gtest.h>

#include "delivery/push/push_reply.hpp"
#include "delivery/push/web_push_sender.hpp"

namespace herald::delivery {
namespace {

using namespace std::chrono_literals;

// 2026-01-01T00:00:00Z
constexpr TimeMs kNow = 1'767'225'600'000;

HttpResponse reply(long status, std::string body = {},
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

TEST(PushReply, RetryAfterTakesSecondsOrAnHttpDate) {
  EXPECT_EQ(parse_retry_after("120", kNow), 120s);
  EXPECT_EQ(parse_retry_after(" 7 ", kNow), 7s);
  EXPECT_EQ(parse_retry_after("Thu, 01 Jan 2026 00:02:00 GMT", kNow), 120s);
  EXPECT_EQ(parse_retry_after("Thursday, 01-Jan-26 00:00:30 GMT", kNow), 30s);
  EXPECT_EQ(parse_retry_after("Wed, 31 Dec 2025 23:00:00 GMT", kNow), 0s);
  EXPECT_EQ(parse_retry_after("soon", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", kNow), std::nullopt);
}

TEST(PushReply, DetailIsShortAndOnOneLine) {
  EXPECT_EQ(reply_detail(reply(400)), "HTTP 400");
  EXPECT_EQ(reply_detail(reply(400, "bad\nthing")), "HTTP 400: bad thing");
  std::string long_body = std::string(299, 'a') + "\xC3\xA9" + std::string(500, 'b');
  std::string detail = reply_detail(reply(413, long_body));
  EXPECT_EQ(detail, "HTTP 413: " + std::string(299, 'a') + "...");
}

TEST(WebPushOutcome, MapsStatusesToVerdicts) {
  auto created = web_push_outcome(reply(201, "", {{"location", "https://p/m/1"}}), kNow);
  EXPECT_EQ(created.verdict, Verdict::sent);
  EXPECT_EQ(created.detail, "https://p/m/1");
  EXPECT_EQ(web_push_outcome(reply(200), kNow).verdict, Verdict::sent);
  EXPECT_EQ(web_push_outcome(reply(202), kNow).verdict, Verdict::sent);
  EXPECT_EQ(web_push_outcome(reply(404), kNow).verdict, Verdict::gone);
  EXPECT_EQ(web_push_outcome(reply(410), kNow).verdict, Verdict::gone);

  auto busy = web_push_outcome(reply(429, "", {{"retry-after", "30"}}), kNow);
  EXPECT_EQ(busy.verdict, Verdict::retry);
  EXPECT_EQ(busy.retry_after, 30s);
  auto down =
      web_push_outcome(reply(503, "", {{"retry-after", "Thu, 01 Jan 2026 00:01:00 GMT"}}), kNow);
  EXPECT_EQ(down.verdict, Verdict::retry);
  EXPECT_EQ(down.retry_after, 60s);
  auto broken = web_push_outcome(reply(500, "oops"), kNow);
  EXPECT_EQ(broken.verdict, Verdict::retry);
  EXPECT_EQ(broken.retry_after, std::nullopt);

  auto refused = web_push_outcome(reply(400, "{\"reason\":\"bad payload\"}"), kNow);
  EXPECT_EQ(refused.verdict, Verdict::failed);
  EXPECT_EQ(refused.detail, "HTTP 400: {\"reason\":\"bad payload\"}");
  EXPECT_EQ(web_push_outcome(reply(413), kNow).verdict, Verdict::failed);

  HttpResponse timed_out;
  timed_out.timed_out = true;
  timed_out.transport_error = "Operation timed out";
  auto lost = web_push_outcome(timed_out, kNow);
  EXPECT_EQ(lost.verdict, Verdict::retry);
  EXPECT_EQ(lost.detail, "timed out: Operation timed out");
}

}  // namespace
}  // namespace herald::delivery
