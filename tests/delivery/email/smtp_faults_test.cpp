// How SmtpSender answers a relay that refuses, fails, stalls, is absent, asks for AUTH or
// speaks TLS: the verdict the outbox acts on, and what reached the relay.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "delivery/email/email_fixture.hpp"
#include "delivery/email/smtp_sender.hpp"
#include "support/smtp_sink.hpp"

namespace herald::delivery {
namespace {

using test::SmtpSink;
using namespace test_email;
using Clock = std::chrono::steady_clock;

// A loopback TCP socket bound to a free port; listening or not.
class LoopbackSocket {
 public:
  explicit LoopbackSocket(bool listen) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    if (listen) {
      EXPECT_EQ(::listen(fd_, 8), 0);
    }
  }
  ~LoopbackSocket() { ::close(fd_); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  unsigned short port_ = 0;
};

TEST(SmtpFaults, NoServerListeningIsRetry) {
  // Bound but not listening: connections to the port are refused, and no one else can take it.
  LoopbackSocket closed(false);
  SmtpConfig config;
  config.url = closed.url();
  config.timeout = std::chrono::seconds(5);
  Outcome outcome = SmtpSender(config).send(small_email());
  EXPECT_EQ(outcome.verdict, Verdict::retry);
  EXPECT_NE(outcome.detail.find("onnect"), std::string::npos) << outcome.detail;
}

TEST(SmtpFaults, AUrlOfAnotherProtocolIsRefusedAtStartUp) {
  SmtpConfig config;
  for (std::string url : {"http://127.0.0.1:25", "127.0.0.1:25", "file:///etc/passwd", ""}) {
    config.url = url;
    EXPECT_THROW(SmtpSender{config}, std::invalid_argument) << url;
  }
}

TEST(SmtpFaults, TemporaryRefusalsAreRetry) {
  SmtpSink sink;
  SmtpSender sender(config_for(sink));
  Outcome at_rcpt = sender.send(small_email("rcpt451@example.org"));
  EXPECT_EQ(at_rcpt.verdict, Verdict::retry);
  EXPECT_EQ(at_rcpt.detail, "451 4.0.0 temporary failure for tests");
  Outcome at_data = sender.send(small_email("data452@example.org"));
  EXPECT_EQ(at_data.verdict, Verdict::retry);
  EXPECT_EQ(at_data.detail, "452 4.0.0 temporary failure for tests");
  EXPECT_EQ(sink.messages(), 0);
}

TEST(SmtpFaults, PermanentRefusalsFailWithTheRelaysCode) {
  SmtpSink sink;
  SmtpSender sender(config_for(sink));
  Outcome at_rcpt = sender.send(small_email("rcpt550@example.org"));
  EXPECT_EQ(at_rcpt.verdict, Verdict::failed);
  EXPECT_EQ(at_rcpt.detail, "550 5.0.0 permanent failure for tests");
  Outcome at_data = sender.send(small_email("data554@example.org"));
  EXPECT_EQ(at_data.verdict, Verdict::failed);
  EXPECT_EQ(at_data.detail, "554 5.0.0 permanent failure for tests");
  EXPECT_EQ(sink.messages(), 0);
}

TEST(SmtpFaults, AStalledRelayIsRetryOnceTheTimeoutPasses) {
  SmtpSink sink;
  auto config = config_for(sink);
  config.timeout = std::chrono::milliseconds(300);
  auto start = Clock::now();
  {
    SmtpSender sender(config);
    Outcome outcome = sender.send(small_email("stall@example.org"));
    auto elapsed = Clock::now() - start;
    EXPECT_EQ(outcome.verdict, Verdict::retry);
    EXPECT_NE(outcome.detail.find("imeout"), std::string::npos) << outcome.detail;
    EXPECT_GE(elapsed, std::chrono::milliseconds(290));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
    // The stalled connection is not reused: the next send opens a new one and gets through.
    Outcome next = sender.send(small_email("ana@example.org", 2));
    EXPECT_EQ(next.verdict, Verdict::sent) << next.detail;
    EXPECT_EQ(sender.send(small_email("stall@example.org", 3)).verdict, Verdict::retry);
    start = Clock::now();
  }
  // Nor does closing the sender wait on the stalled relay.
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_EQ(sink.messages(), 1);
  EXPECT_EQ(sink.connections(), 2);
}

TEST(SmtpFaults, ARelayThatNeverGreetsIsRetryOnceTheTimeoutPasses) {
  LoopbackSocket silent(true);  // the kernel completes connections; no one ever answers
  SmtpConfig config;
  config.url = silent.url();
  config.timeout = std::chrono::milliseconds(300);
  auto start = Clock::now();
  Outcome outcome = SmtpSender(config).send(small_email());
  auto elapsed = Clock::now() - start;
  EXPECT_EQ(outcome.verdict, Verdict::retry);
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
}

TEST(SmtpFaults, AnUnreadableAttachmentFailsWithoutConnecting) {
  SmtpSink sink;
  auto email = small_email();
  email.attachments.push_back({"minutes.pdf", "application/pdf", "/nonexistent/herald/blob"});
  Outcome outcome = SmtpSender(config_for(sink)).send(email);
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_NE(outcome.detail.find("minutes.pdf"), std::string::npos) << outcome.detail;
  EXPECT_EQ(sink.connections(), 0);
}

TEST(SmtpFaults, AnAddressThatCouldInjectCommandsFailsWithoutConnecting) {
  SmtpSink sink;
  Outcome outcome =
      SmtpSender(config_for(sink)).send(small_email("a@example.org>\r\nRCPT TO:<b@example.org"));
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(sink.connections(), 0);
}

TEST(SmtpFaults, AuthWithTheRightPasswordIsSent) {
  SmtpSink sink({.auth = "herald:s3cret pass"});
  auto config = config_for(sink);
  config.username = "herald";
  config.password = "s3cret pass";
  Outcome outcome = SmtpSender(config).send(small_email());
  ASSERT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  EXPECT_EQ(envelope(sink, 1).at("login").as_string(), "herald");
  EXPECT_FALSE(envelope(sink, 1).at("tls").as_bool());
}

TEST(SmtpFaults, AuthWithAWrongPasswordFailsWith535) {
  SmtpSink sink({.auth = "herald:s3cret pass"});
  auto config = config_for(sink);
  config.username = "herald";
  config.password = "wrong";
  Outcome outcome = SmtpSender(config).send(small_email());
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(outcome.detail.substr(0, 4), "535 ") << outcome.detail;
  EXPECT_EQ(outcome.detail.find("wrong"), std::string::npos);
  EXPECT_EQ(sink.messages(), 0);
}

TEST(SmtpFaults, WithoutCredentialsARelayRequiringAuthRefusesPermanently) {
  SmtpSink sink({.auth = "herald:s3cret"});
  Outcome outcome = SmtpSender(config_for(sink)).send(small_email());
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_EQ(outcome.detail.substr(0, 4), "530 ") << outcome.detail;
}

class SmtpTls : public ::testing::Test {
 protected:
  void SetUp() override { test::write_self_signed_certificate(certs_.path()); }
  std::filesystem::path cert() const { return certs_.path() / "cert.pem"; }
  std::filesystem::path key() const { return certs_.path() / "key.pem"; }

  test::ScratchDir certs_;
};

TEST_F(SmtpTls, RequiredStartTlsWithATrustedCertificateIsSentEncrypted) {
  SmtpSink sink(
      {.auth = "herald:s3cret", .tls_cert = cert(), .tls_key = key(), .require_tls = true});
  auto config = config_for(sink);
  config.starttls = SmtpConfig::StartTls::required;
  config.ca_file = cert().string();
  config.username = "herald";
  config.password = "s3cret";
  SmtpSender sender(config);
  for (int n = 1; n <= 3; ++n) {
    Outcome outcome = sender.send(small_email("ana@example.org", n));
    ASSERT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  }
  EXPECT_TRUE(envelope(sink, 1).at("tls").as_bool());
  EXPECT_TRUE(envelope(sink, 3).at("tls").as_bool());
  EXPECT_EQ(sink.connections(), 1);
}

TEST_F(SmtpTls, OpportunisticStartTlsUsesTlsWhenOffered) {
  SmtpSink sink({.tls_cert = cert(), .tls_key = key()});
  auto config = config_for(sink);
  config.starttls = SmtpConfig::StartTls::opportunistic;
  config.ca_file = cert().string();
  ASSERT_EQ(SmtpSender(config).send(small_email()).verdict, Verdict::sent);
  EXPECT_TRUE(envelope(sink, 1).at("tls").as_bool());
}

TEST_F(SmtpTls, SmtpsUrlSpeaksTlsFromTheFirstByte) {
  SmtpSink sink({.tls_cert = cert(), .tls_key = key(), .implicit_tls = true});
  auto config = config_for(sink);
  ASSERT_EQ(config.url.rfind("smtps://", 0), 0u);
  config.ca_file = cert().string();
  SmtpSender sender(config);
  for (int n = 1; n <= 2; ++n) {
    Outcome outcome = sender.send(small_email("ana@example.org", n));
    ASSERT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  }
  EXPECT_TRUE(envelope(sink, 2).at("tls").as_bool());
  EXPECT_EQ(sink.connections(), 1);
}

TEST_F(SmtpTls, RequiredStartTlsAgainstARelayWithoutItIsRetryAndSendsNothing) {
  SmtpSink sink;
  auto config = config_for(sink);
  config.starttls = SmtpConfig::StartTls::required;
  config.ca_file = cert().string();
  Outcome outcome = SmtpSender(config).send(small_email());
  EXPECT_EQ(outcome.verdict, Verdict::retry);
  EXPECT_NE(outcome.detail.find("STARTTLS"), std::string::npos) << outcome.detail;
  EXPECT_EQ(sink.messages(), 0);
}

TEST_F(SmtpTls, AnUntrustedCertificateIsRetryAndSendsNothing) {
  SmtpSink sink({.tls_cert = cert(), .tls_key = key(), .require_tls = true});
  auto config = config_for(sink);
  config.starttls = SmtpConfig::StartTls::required;  // and the system's CAs only
  Outcome outcome = SmtpSender(config).send(small_email());
  EXPECT_EQ(outcome.verdict, Verdict::retry);
  EXPECT_EQ(sink.messages(), 0);
}

}  // namespace
}  // namespace herald::delivery
