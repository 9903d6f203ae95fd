#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "delivery/push/apns_sender.hpp"

namespace herald::delivery {
namespace {

TEST(ApnsId, IsAStableUuidPerMessage) {
  std::string id = apns_id_for("d9.m31");
  EXPECT_EQ(id, apns_id_for("d9.m31"));
  EXPECT_NE(id, apns_id_for("d9.m32"));
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '8');                                          // version 8
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // variant 10
  for (std::size_t i : {8u, 13u, 18u, 23u}) EXPECT_EQ(id[i], '-');
}

TEST(ApnsOutcome, ReadsApplesReason) {
  HttpResponse response;
  response.status = 400;
  response.body = R"({"reason":"TopicDisallowed"})";
  Outcome outcome = apns_outcome(response, 0);
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(outcome.detail, "HTTP 400 TopicDisallowed");
  response.body = R"({"reason":"Unregistered"})";
  EXPECT_EQ(apns_outcome(response, 0).verdict, Verdict::gone);
  response.status = 503;
  response.body = R"({"reason":"ServiceUnavailable"})";
  EXPECT_EQ(apns_outcome(response, 0).verdict, Verdict::retry);
  response.status = 413;
  response.body = "not json";
  EXPECT_EQ(apns_outcome(response, 0).detail, "HTTP 413: not json");
}

TEST(ApnsRequest, CarriesTheHeadersApnsNeeds) {
  ApnsConfig config{.topic = "org.example.app", .base_url = "https://apns.example/"};
  Device device;
  device.address = "ab01";
  PushMessage message{.id = "m1", .title = "T", .text = "B", .ttl_seconds = 60, .urgency = "low"};
  HttpRequest request = build_apns_request(config, "TOKEN", device, message, 1'000'000);
  EXPECT_EQ(request.url, "https://apns.example/3/device/ab01");
  EXPECT_EQ(*request.header("authorization"), "bearer TOKEN");
  EXPECT_EQ(*request.header("apns-expiration"), "1060");
  EXPECT_EQ(*request.header("apns-priority"), "5");
  EXPECT_EQ(boost::json::parse(request.body),
            boost::json::parse(R"({"aps":{"alert":{"title":"T","body":"B"}},"id":"m1"})"));
}

}  // namespace
}  // namespace herald::delivery
