#include "delivery/email/smtp_verdict.hpp"

#include <gtest/gtest.h>

namespace herald::delivery {
namespace {

TEST(SmtpVerdict, AcceptedIsSentWithTheRelaysReply) {
  auto outcome = smtp_outcome({true, 250, "250 2.0.0 Ok: queued as 4F1A2", ""});
  EXPECT_EQ(outcome.verdict, Verdict::sent);
  EXPECT_EQ(outcome.detail, "250 2.0.0 Ok: queued as 4F1A2");
}

TEST(SmtpVerdict, PermanentRepliesFailWithCodeAndText) {
  for (long code : {500L, 535L, 550L, 554L}) {
    auto outcome =
        smtp_outcome({false, code, std::to_string(code) + " 5.1.1 No such user", "RCPT failed"});
    EXPECT_EQ(outcome.verdict, Verdict::failed) << code;
    EXPECT_EQ(outcome.detail, std::to_string(code) + " 5.1.1 No such user");
  }
  // Without the reply's text, the code and libcurl's message still say what happened.
  auto outcome = smtp_outcome({false, 552, "", "DATA failed: 552"});
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(outcome.detail, "SMTP 552: DATA failed: 552");
}

TEST(SmtpVerdict, TransientRepliesAreRetried) {
  for (long code : {421L, 450L, 451L, 452L, 454L}) {
    auto outcome = smtp_outcome({false, code, std::to_string(code) + " try later", ""});
    EXPECT_EQ(outcome.verdict, Verdict::retry) << code;
    EXPECT_EQ(outcome.detail, std::to_string(code) + " try later");
  }
}

TEST(SmtpVerdict, TransportFailuresAreRetriedWithLibcurlsMessage) {
  auto refused = smtp_outcome({false, 0, "", "Failed to connect to 127.0.0.1 port 1"});
  EXPECT_EQ(refused.verdict, Verdict::retry);
  EXPECT_EQ(refused.detail, "Failed to connect to 127.0.0.1 port 1");
  // STARTTLS required but not offered: the last reply was EHLO's 250, which says nothing.
  auto no_tls = smtp_outcome({false, 250, "250 HELP", "STARTTLS not supported."});
  EXPECT_EQ(no_tls.verdict, Verdict::retry);
  EXPECT_EQ(no_tls.detail, "STARTTLS not supported.");
}

}  // namespace
}  // namespace herald::delivery
