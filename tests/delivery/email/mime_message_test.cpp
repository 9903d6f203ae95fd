#include "delivery/email/mime_message.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <set>

#include "common/crypto.hpp"
#include "common/utf8.hpp"
#include "support/smtp_sink.hpp"

namespace herald::delivery {
namespace {

std::vector<std::string> lines_of(std::string_view message) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < message.size()) {
    std::size_t end = message.find("\r\n", at);
    EXPECT_NE(end, std::string_view::npos) << "the message does not end in CRLF";
    if (end == std::string_view::npos) break;
    lines.emplace_back(message.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

// The header section, each field unfolded onto one line.
std::vector<std::string> header_fields(std::string_view message) {
  std::vector<std::string> fields;
  for (const auto& line : lines_of(message.substr(0, message.find("\r\n\r\n") + 2))) {
    if (!line.empty() && line[0] == ' ' && !fields.empty()) {
      fields.back() += line;
    } else {
      fields.push_back(line);
    }
  }
  return fields;
}

std::string field(std::string_view message, std::string_view name) {
  for (const auto& line : header_fields(message)) {
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ':') {
      return line.substr(name.size() + 1);
    }
  }
  return {};
}

std::string decode_base64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  EXPECT_EQ(
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), "\r\n", &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
      0);
  out.resize(length);
  return out;
}

// The text RFC 2047 encoded words carry, checking each word on the way: at most 75
// characters, and whole UTF-8 characters in each.
std::string decode_encoded_words(std::string_view value) {
  std::string text;
  std::size_t at = 0;
  while ((at = value.find("=?UTF-8?B?", at)) != std::string_view::npos) {
    std::size_t end = value.find("?=", at + 10);
    EXPECT_NE(end, std::string_view::npos);
    EXPECT_LE(end + 2 - at, 75u);
    std::string piece = decode_base64(value.substr(at + 10, end - at - 10));
    EXPECT_TRUE(is_valid_utf8(piece)) << "an encoded word splits a character";
    text += piece;
    at = end + 2;
  }
  return text;
}

OutgoingEmail sample_email() {
  OutgoingEmail email;
  email.from = {"noreply@herald.test", "Herald"};
  email.to = {"ana@example.org", "Ana"};
  email.subject = "Hello";
  email.text = "Plain text.\n";
  email.html = "<p>HTML text.</p>\n";
  email.message_id = "d1.m1@herald.test";
  email.date_ms = 1'800'000'000'000;
  return email;
}

TEST(MimeMessage, WritesTheHeadersAMailClientNeeds) {
  auto message = compose_mime(sample_email());
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(field(*message, "Date"), " Fri, 15 Jan 2027 08:00:00 +0000");
  EXPECT_EQ(field(*message, "From"), " \"Herald\" <noreply@herald.test>");
  EXPECT_EQ(field(*message, "To"), " \"Ana\" <ana@example.org>");
  EXPECT_EQ(field(*message, "Subject"), " Hello");
  EXPECT_EQ(field(*message, "Message-ID"), " <d1.m1@herald.test>");
  EXPECT_EQ(field(*message, "MIME-Version"), " 1.0");
  EXPECT_EQ(field(*message, "Auto-Submitted"), " auto-generated");
  EXPECT_NE(field(*message, "Content-Type").find("multipart/alternative;"), std::string::npos);
}

TEST(MimeMessage, FoldsALongNonAsciiSubjectIntoWholeCharacterEncodedWords) {
  auto email = sample_email();
  // 2-, 3- and 4-byte characters, so that word limits fall inside sequences.
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "R\xC3\xA9union \xE2\x82\xAC \xF0\x9F\x93\xA8 ";
  email.subject = subject;
  auto message = compose_mime(email);
  ASSERT_TRUE(message);
  std::string header = message->substr(0, message->find("\r\n\r\n"));
  for (const auto& line : lines_of(header + "\r\n")) EXPECT_LE(line.size(), 76u) << line;
  std::string value = field(*message, "Subject");
  EXPECT_GT(std::count(header.begin(), header.end(), '\n'), 10);  // folded
  EXPECT_EQ(decode_encoded_words(value), subject);
}

TEST(MimeMessage, EncodesAsciiSubjectsThatWouldReadBackDifferently) {
  auto email = sample_email();
  std::vector<std::string> subjects{"looks =?UTF-8?B?bGlrZQ==?= a word", "two  spaces", " leading",
                                    std::string(120, 'x')};
  for (const auto& subject : subjects) {
    email.subject = subject;
    auto message = compose_mime(email);
    ASSERT_TRUE(message);
    EXPECT_EQ(decode_encoded_words(field(*message, "Subject")), subject);
  }
  email.subject = "A long plain subject " + std::string(30, 'w') +
                  " that goes on and on past the width of one header line for sure";
  auto message = compose_mime(email);
  ASSERT_TRUE(message);
  EXPECT_EQ(field(*message, "Subject").substr(1), email.subject);  // folded at spaces only
}

TEST(MimeMessage, LineBreaksInSubjectOrNamesCannotAddHeaders) {
  auto email = sample_email();
  email.subject = "Hi\r\nBcc: victim@example.org\r\n\r\nInjected body";
  email.from.name = "Eve\r\nBcc: victim@example.org";
  email.to.name = "Ana\n\xC3\xA9\rX-Injected: yes";
  auto message = compose_mime(email);
  ASSERT_TRUE(message);
  std::set<std::string> names;
  for (const auto& line : header_fields(*message)) {
    names.insert(line.substr(0, line.find(':')));
  }
  EXPECT_EQ(names, (std::set<std::string>{"Date", "From", "To", "Subject", "Message-ID",
                                          "MIME-Version", "Auto-Submitted", "Content-Type"}));
  EXPECT_EQ(decode_encoded_words(field(*message, "Subject")),
            "Hi  Bcc: victim@example.org    Injected body");
}

TEST(MimeMessage, RefusesAddressesAndIdsThatCouldBreakOutOfTheirHeader) {
  for (std::string address : {"a@b.org\r\nRCPT TO:<x@y.org>", "a@b.org>", "no-at-sign", "",
                              "a b@c.org", "\xC3\xA9@b.org"}) {
    auto email = sample_email();
    email.to.address = address;
    auto message = compose_mime(email);
    ASSERT_FALSE(message) << address;
    EXPECT_EQ(message.error().code, errc::bad_request);
  }
  auto email = sample_email();
  email.message_id = "x@y>\r\nBcc: z@w";
  EXPECT_FALSE(compose_mime(email));
}

TEST(MimeMessage, KeepsLinesShortWhateverTheContent) {
  test::ScratchDir dir;
  init_crypto();
  std::string bytes = random_bytes(20000);
  std::ofstream(dir.path() / "blob", std::ios::binary) << bytes;
  auto email = sample_email();
  email.text = std::string(3000, 'a') + "\n" + std::string(500, '=') + " \n\t\n" + "caf\xC3\xA9 " +
               std::string(2000, ' ') + "end";
  email.html = "<p>" + std::string(5000, 'h') + "</p>";
  email.attachments.push_back({"blob.bin", "application/octet-stream", dir.path() / "blob"});
  auto message = compose_mime(email);
  ASSERT_TRUE(message);
  bool in_base64 = false;
  for (const auto& line : lines_of(*message)) {
    EXPECT_LE(line.size(), 76u) << line.substr(0, 100);
    if (line == "Content-Transfer-Encoding: base64") {
      in_base64 = true;
      continue;
    }
    if (line.rfind("--", 0) == 0) in_base64 = false;
    if (in_base64 && !line.empty()) {
      EXPECT_EQ(line.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789+/="),
                std::string::npos)
          << line;
    }
  }
  EXPECT_EQ(message->find(" \r\n"), std::string::npos);  // no whitespace a relay may strip
}

TEST(MimeMessage, BoundariesAreRandomAndAppearOnlyAsDelimiters) {
  test::ScratchDir dir;
  std::ofstream(dir.path() / "a.txt", std::ios::binary) << "--=_herald_\n--\n";
  auto email = sample_email();
  email.text = "--=_herald_abc\n--\n=_\n";
  email.html = "<pre>\n--=_herald_\n</pre>";
  email.attachments.push_back({"a.txt", "text/plain", dir.path() / "a.txt"});
  std::set<std::string> boundaries;
  for (int round = 0; round < 2; ++round) {
    auto message = compose_mime(email);
    ASSERT_TRUE(message);
    std::vector<std::string> found;
    for (std::size_t at = 0; (at = message->find("boundary=\"", at)) != std::string::npos;) {
      at += 10;
      found.push_back(message->substr(at, message->find('"', at) - at));
    }
    ASSERT_EQ(found.size(), 2u);  // mixed and alternative
    for (const auto& boundary : found) {
      EXPECT_TRUE(boundaries.insert(boundary).second) << "repeated boundary " << boundary;
      int delimiters = 0;
      for (const auto& line : lines_of(*message)) {
        if (line.find(boundary) == std::string::npos) continue;
        if (line.rfind("--", 0) == 0) {
          EXPECT_TRUE(line == "--" + boundary || line == "--" + boundary + "--") << line;
          ++delimiters;
        }
      }
      EXPECT_EQ(delimiters, 3);  // two parts each, then the close
    }
  }
}

TEST(MimeMessage, ChoosesTheSmallerTransferEncodingForText) {
  auto email = sample_email();
  email.text = "Mostly English, with one caf\xC3\xA9.";
  email.html = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\xBC\xD0\xB8\xD1\x80";
  auto message = compose_mime(email);
  ASSERT_TRUE(message);
  EXPECT_NE(message->find("text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
                          "quoted-printable\r\n\r\nMostly English, with one caf=C3=A9."),
            std::string::npos);
  EXPECT_NE(message->find("text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64"),
            std::string::npos);
}

TEST(MimeMessage, AnAttachmentThatCannotBeReadIsAnError) {
  auto email = sample_email();
  email.attachments.push_back({"report.pdf", "application/pdf", "/nonexistent/herald/blob"});
  auto message = compose_mime(email);
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().code, errc::not_found);
  EXPECT_NE(message.error().message.find("report.pdf"), std::string::npos);
  EXPECT_NE(message.error().message.find("No such file"), std::string::npos);
}

TEST(MimeMessage, NamesAttachmentsInRfc2231WhenNotAscii) {
  test::ScratchDir dir;
  std::ofstream(dir.path() / "f", std::ios::binary) << "x";
  auto email = sample_email();
  std::string long_name;
  for (int i = 0; i < 12; ++i) long_name += "\xC3\xA9t\xC3\xA9 ";
  email.attachments.push_back(
      {"r\xC3\xA9sum\xC3\xA9 \"1\".pdf", "application/pdf", dir.path() / "f"});
  email.attachments.push_back({"plain \"q\".txt", "bad type\r\nX: y", dir.path() / "f"});
  email.attachments.push_back({long_name + ".txt", "text/plain", dir.path() / "f"});
  auto message = compose_mime(email);
  ASSERT_TRUE(message);
  EXPECT_NE(message->find("attachment;\r\n filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.pdf\r\n"),
            std::string::npos);
  EXPECT_NE(
      message->find("Content-Type: application/octet-stream;\r\n name=\"plain \\\"q\\\".txt\""),
      std::string::npos);
  EXPECT_NE(message->find(" filename*0*=UTF-8''%C3%A9t"), std::string::npos);
  EXPECT_NE(message->find(" filename*1*="), std::string::npos);
}

}  // namespace
}  // namespace herald::delivery
