#include "delivery/email/mime_message.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

#include "common/crypto.hpp"
#include "delivery/email/mime_encoding.hpp"

namespace herald::delivery {
namespace {

constexpr std::size_t kMaxAddress = 254;  // RFC 5321 path limit, less the angle brackets
constexpr std::size_t kMaxMessageId = 250;
constexpr std::size_t kMaxPlainName = 60;

// An addr-spec we put between angle brackets, in a header and in MAIL FROM / RCPT TO: printable
// ASCII without the characters that would end it or start another command.
bool is_safe_address(std::string_view address) {
  if (address.empty() || address.size() > kMaxAddress) return false;
  for (char ch : address) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F) return false;
    if (std::string_view("<>()[],;:\"\\").find(ch) != std::string_view::npos) return false;
  }
  std::size_t at = address.rfind('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size();
}

bool is_safe_message_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxMessageId) return false;
  for (char ch : id) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || ch == '<' || ch == '>') return false;
  }
  return id.find('@') != std::string_view::npos;
}

// RFC 2045 type "/" subtype, both tokens; anything else is sent as application/octet-stream.
bool is_mime_type(std::string_view type) {
  std::size_t slash = type.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    auto c = static_cast<unsigned char>(type[i]);
    if (i == slash) continue;
    if (c <= 0x20 || c >= 0x7F) return false;
    if (std::string_view("()<>@,;:\\\"/[]?=").find(type[i]) != std::string_view::npos) return false;
  }
  return true;
}

// "Tue, 23 Nov 2026 13:39:36 +0000"
std::string rfc5322_date(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return text;
}

// A subject or name goes out as it is when that cannot change how it reads back: printable
// ASCII, single spaces between words that each fit a line, nothing that looks like an encoded
// word. Anything else is sent as encoded words, which carry it exactly.
bool fits_plain_text(std::string_view text, std::size_t max_word) {
  if (text.empty() || !is_printable_ascii(text)) return false;
  if (text.front() == ' ' || text.back() == ' ') return false;
  if (text.find("  ") != std::string_view::npos || text.find("=?") != std::string_view::npos) {
    return false;
  }
  std::size_t word = 0;
  for (char ch : text) {
    word = ch == ' ' ? 0 : word + 1;
    if (word > max_word) return false;
  }
  return true;
}

void append_mailbox(std::string& out, std::string_view field, const MailAddress& mailbox) {
  HeaderWriter header(out, field);
  std::string name = strip_controls(mailbox.name);
  if (!name.empty()) {
    if (is_printable_ascii(name) && name.size() <= kMaxPlainName) {
      std::string quoted = "\"";
      for (char ch : name) {
        if (ch == '"' || ch == '\\') quoted += '\\';
        quoted += ch;
      }
      quoted += '"';
      header.word(quoted);
    } else {
      header.encoded_words(name);
    }
  }
  header.word("<" + mailbox.address + ">");
}

void append_subject(std::string& out, std::string_view subject) {
  HeaderWriter header(out, "Subject");
  std::string clean = strip_controls(subject);
  if (fits_plain_text(clean, kMaxHeaderLine - 1)) {
    header.text(clean);
  } else {
    header.encoded_words(clean);
  }
}

std::string new_boundary() {
  static const bool crypto_ready = (init_crypto(), true);
  (void)crypto_ready;
  return "=_herald_" + random_token(18);
}

// Quoted-printable stays readable and small for mostly-ASCII text; when more than one byte in
// six needs escaping (Cyrillic, CJK...), base64 is the smaller of the two.
void append_text_part(std::string& out, std::string_view subtype, std::string_view text) {
  std::string crlf = to_crlf(text);
  std::size_t escaped = 0;
  for (char ch : crlf) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x7F || c == '=') ++escaped;
  }
  bool use_base64 = escaped * 6 > crlf.size();
  out += "Content-Type: text/";
  out += subtype;
  out += "; charset=utf-8\r\nContent-Transfer-Encoding: ";
  out += use_base64 ? "base64\r\n\r\n" : "quoted-printable\r\n\r\n";
  if (use_base64) {
    out += base64_lines(crlf);
  } else {
    out += quoted_printable(crlf);
    out += "\r\n";
  }
}

void append_alternatives(std::string& out, const OutgoingEmail& email) {
  if (email.html.empty()) {
    append_text_part(out, "plain", email.text);
    return;
  }
  std::string boundary = new_boundary();
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n";
  append_text_part(out, "plain", email.text);
  out += "--" + boundary + "\r\n";
  append_text_part(out, "html", email.html);
  out += "--" + boundary + "--\r\n";
}

Result<std::string> read_file(const EmailAttachment& attachment) {
  auto fail = [&](int error) {
    return Error(errc::not_found, "attachment " + strip_controls(attachment.name) +
                                      " cannot be read: " + std::strerror(error));
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(attachment.path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return fail(errno);
  std::string bytes;
  char buffer[65536];
  for (;;) {
    std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    bytes.append(buffer, n);
    if (n < sizeof buffer) break;
  }
  if (std::ferror(file.get())) return fail(errno != 0 ? errno : EIO);
  return bytes;
}

Result<void> append_attachment(std::string& out, const EmailAttachment& attachment) {
  auto bytes = read_file(attachment);
  if (!bytes) return bytes.error();
  std::string name = strip_controls(attachment.name);
  out += "Content-Type: ";
  out += is_mime_type(attachment.type) ? attachment.type : "application/octet-stream";
  if (is_printable_ascii(name) && !name.empty()) append_parameter(out, "name", name);
  out += "\r\nContent-Disposition: attachment";
  if (!name.empty()) append_parameter(out, "filename", name);
  out += "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(*bytes);
  return {};
}

}  // namespace

Result<std::string> compose_mime(const OutgoingEmail& email) {
  for (const MailAddress* mailbox : {&email.from, &email.to}) {
    if (!is_safe_address(mailbox->address)) {
      return Error(errc::bad_request, "invalid address: " + strip_controls(mailbox->address));
    }
  }
  if (!is_safe_message_id(email.message_id)) {
    return Error(errc::bad_request, "invalid Message-ID: " + strip_controls(email.message_id));
  }

  std::string out;
  out.reserve(1024 + email.text.size() * 2 + email.html.size() * 2);
  out += "Date: " + rfc5322_date(email.date_ms) + "\r\n";
  append_mailbox(out, "From", email.from);
  append_mailbox(out, "To", email.to);
  append_subject(out, email.subject);
  out += "Message-ID: <" + email.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  // RFC 3834: tells auto-responders (vacation replies) not to answer.
  out += "Auto-Submitted: auto-generated\r\n";

  if (email.attachments.empty()) {
    append_alternatives(out, email);
    return out;
  }
  std::string boundary = new_boundary();
  out += "Content-Type: multipart/mixed;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n";
  append_alternatives(out, email);
  for (const auto& attachment : email.attachments) {
    out += "--" + boundary + "\r\n";
    if (auto appended = append_attachment(out, attachment); !appended) return appended.error();
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace herald::delivery
