// An email as an independent parser reads it: tests/peers/parse_mail.py, on Python's email
// package, run on a file the SMTP sink stored.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace herald::test {

struct ParsedAttachment {
  std::string name;  // decoded file name (RFC 2231)
  std::string type;
  std::size_t size = 0;
  std::string sha256;  // hex, of the decoded bytes
};

struct ParsedMail {
  std::string subject;  // decoded (RFC 2047)
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string message_id;      // with angle brackets, as in the header
  std::optional<double> date;  // Unix seconds, when the Date header parses
  std::string auto_submitted;
  std::string mime_version;
  std::string content_type;               // of the whole message
  std::optional<std::string> text, html;  // decoded parts; line breaks as sent (CRLF)
  std::string text_encoding, html_encoding;
  std::vector<ParsedAttachment> attachments;
  std::vector<std::string> defects;  // what the parser found wrong, by defect class name
};

// Throws std::runtime_error when the parser cannot run or its output is not what we expect.
ParsedMail parse_mail(const std::filesystem::path& file);

}  // namespace herald::test
