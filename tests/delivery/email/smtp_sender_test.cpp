// SmtpSender against a real SMTP server (aiosmtpd), with what arrived read back by Python's
// email package.
#include "delivery/email/smtp_sender.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "common/crypto.hpp"
#include "delivery/email/email_fixture.hpp"
#include "support/parsed_mail.hpp"
#include "support/smtp_sink.hpp"

namespace herald::delivery {
namespace {

using test::SmtpSink;
using namespace test_email;

std::string crlf_to_lf(std::string text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

TEST(SmtpSender, DeliversAMessageThatAnotherParserReadsBackExactly) {
  SmtpSink sink;
  test::ScratchDir dir;
  init_crypto();
  std::string report = random_bytes(100'000);
  std::ofstream(dir.path() / "blob1", std::ios::binary) << report;
  std::ofstream(dir.path() / "blob2", std::ios::binary) << "name,score\nana,10\n";

  OutgoingEmail email;
  email.from = {"noreply@herald.test", "Sch\xC3\xBCler-Verwaltung \"Nord\""};
  email.to = {"jose@example.org",
              "Jos\xC3\xA9 Garc\xC3\xAD"
              "a"};
  std::string subject = "R\xC3\xA9union des parents d'\xC3\xA9l\xC3\xA8ves \xE2\x80\x94 ";
  for (int i = 0; i < 6; ++i) subject += "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x93\xA8 ";
  email.subject = subject + "fin";
  email.text = "Bonjour Jos\xC3\xA9,\n\n.\n.. a line of dots\nFrom here on\n" +
               std::string(200, '-') + "\nprice = 10 \xE2\x82\xAC \ntab\t\nlast line";
  email.html = "<p>Bonjour <b>Jos\xC3\xA9</b></p>\n<p>" + std::string(300, 'x') + "</p>\n";
  email.message_id = "d42.m17@herald.test";
  email.date_ms = 1'800'000'000'123;
  email.attachments.push_back(
      {"compte-rendu r\xC3\xA9union.pdf", "application/pdf", dir.path() / "blob1"});
  email.attachments.push_back({"scores.csv", "text/csv", dir.path() / "blob2"});

  SmtpSender sender(config_for(sink));
  Outcome outcome = sender.send(email);
  ASSERT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  EXPECT_EQ(outcome.detail, "250 2.0.0 OK queued as sink-1");

  ASSERT_EQ(sink.messages(), 1);
  auto envelope_fields = envelope(sink, 1);
  EXPECT_EQ(envelope_fields.at("mail_from").as_string(), "noreply@herald.test");
  EXPECT_EQ(envelope_fields.at("rcpt_tos").as_array(), boost::json::array{"jose@example.org"});

  std::string raw = test::read_file(sink.message_file(1));
  for (std::size_t at = 0, end; (end = raw.find("\r\n", at)) != std::string::npos; at = end + 2) {
    EXPECT_LE(end - at, 998u);
  }
  auto mail = test::parse_mail(sink.message_file(1));
  EXPECT_TRUE(mail.defects.empty()) << mail.defects.front();
  EXPECT_EQ(mail.subject, email.subject);
  EXPECT_EQ(mail.from_name, email.from.name);
  EXPECT_EQ(mail.from_address, email.from.address);
  EXPECT_EQ(mail.to_name, email.to.name);
  EXPECT_EQ(mail.to_address, email.to.address);
  EXPECT_EQ(mail.message_id, "<d42.m17@herald.test>");
  ASSERT_TRUE(mail.date.has_value());
  EXPECT_EQ(*mail.date, 1'800'000'000.0);
  EXPECT_EQ(mail.auto_submitted, "auto-generated");
  EXPECT_EQ(mail.mime_version, "1.0");
  EXPECT_EQ(mail.content_type, "multipart/mixed");
  ASSERT_TRUE(mail.text && mail.html);
  EXPECT_EQ(crlf_to_lf(*mail.text), email.text);
  EXPECT_EQ(crlf_to_lf(*mail.html), email.html);
  ASSERT_EQ(mail.attachments.size(), 2u);
  EXPECT_EQ(mail.attachments[0].name, "compte-rendu r\xC3\xA9union.pdf");
  EXPECT_EQ(mail.attachments[0].type, "application/pdf");
  EXPECT_EQ(mail.attachments[0].size, report.size());
  EXPECT_EQ(mail.attachments[0].sha256, to_hex(sha256(report)));
  EXPECT_EQ(mail.attachments[1].name, "scores.csv");
  EXPECT_EQ(mail.attachments[1].type, "text/csv");
  EXPECT_EQ(mail.attachments[1].sha256, to_hex(sha256("name,score\nana,10\n")));
}

TEST(SmtpSender, NonLatinTextTravelsAsBase64AndReadsBackExactly) {
  SmtpSink sink;
  auto email = small_email();
  email.text = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xD0\xBC\xD0\xB8\xD1\x80!\n" +
               std::string(40, ' ') + "\xE4\xBD\xA0\xE5\xA5\xBD\n";
  SmtpSender sender(config_for(sink));
  ASSERT_EQ(sender.send(email).verdict, Verdict::sent);
  auto mail = test::parse_mail(sink.message_file(1));
  EXPECT_EQ(mail.text_encoding, "base64");
  EXPECT_EQ(mail.html_encoding, "quoted-printable");
  ASSERT_TRUE(mail.text);
  EXPECT_EQ(crlf_to_lf(*mail.text), email.text);
  EXPECT_EQ(mail.content_type, "multipart/alternative");
}

TEST(SmtpSender, TwentySendsShareOneConnection) {
  SmtpSink sink;
  SmtpSender sender(config_for(sink));
  for (int n = 1; n <= 20; ++n) {
    Outcome outcome = sender.send(small_email("user" + std::to_string(n) + "@example.org", n));
    ASSERT_EQ(outcome.verdict, Verdict::sent) << n << ": " << outcome.detail;
  }
  EXPECT_EQ(sink.messages(), 20);
  EXPECT_EQ(sink.connections(), 1);
  for (int n = 1; n <= 20; ++n) {
    auto mail = test::parse_mail(sink.message_file(n));
    EXPECT_EQ(mail.subject, "Message " + std::to_string(n));
    EXPECT_EQ(mail.to_address, "user" + std::to_string(n) + "@example.org");
  }
}

TEST(SmtpSender, SendsAgainAtOnceWhenTheRelayDropsAReusedConnection) {
  SmtpSink sink({.drop_second_mail = true});
  SmtpSender sender(config_for(sink));
  for (int n = 1; n <= 3; ++n) {
    Outcome outcome = sender.send(small_email("ana@example.org", n));
    ASSERT_EQ(outcome.verdict, Verdict::sent) << n << ": " << outcome.detail;
  }
  EXPECT_EQ(sink.messages(), 3);
  EXPECT_EQ(sink.connections(), 3);  // each second MAIL of a connection was dropped
}

TEST(SmtpSender, TheConnectionRecoversAfterARefusedRecipient) {
  SmtpSink sink;
  SmtpSender sender(config_for(sink));
  EXPECT_EQ(sender.send(small_email("ana@example.org", 1)).verdict, Verdict::sent);
  EXPECT_EQ(sender.send(small_email("rcpt550@example.org", 2)).verdict, Verdict::failed);
  EXPECT_EQ(sender.send(small_email("data451@example.org", 3)).verdict, Verdict::retry);
  Outcome outcome = sender.send(small_email("bob@example.org", 4));
  ASSERT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  ASSERT_EQ(sink.messages(), 2);
  EXPECT_EQ(envelope(sink, 2).at("rcpt_tos").as_array(), boost::json::array{"bob@example.org"});
}

}  // namespace
}  // namespace herald::delivery
