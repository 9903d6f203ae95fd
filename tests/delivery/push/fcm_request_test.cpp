#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "delivery/push/fcm_sender.hpp"

namespace herald::delivery {
namespace {

TEST(FcmOutcome, ReadsTheErrorCodeFromDetails) {
  HttpResponse response;
  response.status = 403;
  response.body = R"({"error":{"code":403,"status":"PERMISSION_DENIED","details":[)"
                  R"({"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError",)"
                  R"("errorCode":"SENDER_ID_MISMATCH"}]}})";
  EXPECT_EQ(fcm_error_code(response), "SENDER_ID_MISMATCH");
  EXPECT_EQ(fcm_outcome(response, 0).verdict, Verdict::failed);
  response.body = R"({"error":{"code":403,"status":"PERMISSION_DENIED"}})";
  EXPECT_EQ(fcm_error_code(response), "PERMISSION_DENIED");
  response.status = 401;
  EXPECT_EQ(fcm_outcome(response, 0).verdict, Verdict::retry);
}

TEST(FcmRequest, PostsTheMessageToTheProject) {
  Device device;
  device.address = "tok";
  PushMessage message{.id = "m1", .title = "T", .text = "B"};
  HttpRequest request = build_fcm_request("https://fcm.example/", "p1", "AT", device, message);
  EXPECT_EQ(request.url, "https://fcm.example/v1/projects/p1/messages:send");
  EXPECT_EQ(*request.header("authorization"), "Bearer AT");
  EXPECT_EQ(boost::json::parse(request.body),
            boost::json::parse(R"({"message":{"token":"tok","notification":{"title":"T",)"
                               R"("body":"B"},"data":{"id":"m1"}}})"));
}

}  // namespace
}  // namespace herald::delivery
