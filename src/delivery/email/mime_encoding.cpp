#include "delivery/email/mime_encoding.hpp"

#include <algorithm>
#include <vector>

namespace herald::delivery {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789ABCDEF";

std::string base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(data[at]); };
  for (; i + 3 <= data.size(); i += 3) {
    unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (std::size_t rest = data.size() - i; rest > 0) {
    unsigned n = byte(i) << 16;
    if (rest == 2) n |= byte(i + 1) << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += rest == 2 ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Length of the UTF-8 sequence starting at `at`; 1 for a byte that does not start a
// well-formed sequence, so that malformed input is carried byte by byte and never cut inside
// a sequence that is well-formed.
std::size_t utf8_length(std::string_view text, std::size_t at) {
  auto lead = static_cast<unsigned char>(text[at]);
  std::size_t n = lead < 0x80                    ? 1
                  : lead >= 0xF0 && lead <= 0xF4 ? 4
                  : lead >= 0xE0                 ? 3
                  : lead >= 0xC2                 ? 2
                                                 : 1;
  if (at + n > text.size()) return 1;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[at + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

// RFC 2231 attribute-char: what may stand unencoded in an extended parameter value.
bool is_attribute_char(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string percent_encode(std::string_view bytes) {
  std::string out;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (is_attribute_char(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string base64_lines(std::string_view data) {
  std::string encoded = base64(data);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kMaxBodyLine * 2 + 2);
  for (std::size_t at = 0; at < encoded.size(); at += kMaxBodyLine) {
    out.append(encoded, at, kMaxBodyLine);
    out += "\r\n";
  }
  return out;
}

std::string quoted_printable(std::string_view crlf_text) {
  std::string out;
  out.reserve(crlf_text.size() + crlf_text.size() / 8);
  std::size_t column = 0;
  auto put = [&](std::string_view token) {
    // Keep room for the '=' of a soft line break.
    if (column + token.size() > kMaxBodyLine - 1) {
      out += "=\r\n";
      column = 0;
    }
    out += token;
    column += token.size();
  };
  for (std::size_t i = 0; i < crlf_text.size(); ++i) {
    auto c = static_cast<unsigned char>(crlf_text[i]);
    if (c == '\r' && i + 1 < crlf_text.size() && crlf_text[i + 1] == '\n') {
      out += "\r\n";
      column = 0;
      ++i;
      continue;
    }
    bool at_line_end =
        i + 1 == crlf_text.size() ||
        (crlf_text[i + 1] == '\r' && i + 2 < crlf_text.size() && crlf_text[i + 2] == '\n');
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
    if (literal) {
      char one = static_cast<char>(c);
      put(std::string_view(&one, 1));
    } else {
      char escaped[3] = {'=', kHex[c >> 4], kHex[c & 15]};
      put(std::string_view(escaped, 3));
    }
  }
  return out;
}

std::string to_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string strip_controls(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) ch = ' ';
  }
  return out;
}

bool is_printable_ascii(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c <= 0x7E;
  });
}

HeaderWriter::HeaderWriter(std::string& out, std::string_view name)
    : out_(out), column_(name.size() + 1), line_start_(column_) {
  out_ += name;
  out_ += ':';
}

HeaderWriter::~HeaderWriter() {
  out_ += "\r\n";
}

void HeaderWriter::word(std::string_view text) {
  // A word that does not fit goes to a continuation line, unless nothing but the field name
  // stands before it (a line may then run past 76, never past RFC 5322's 998).
  if (column_ + 1 + text.size() > kMaxHeaderLine && column_ > line_start_) {
    out_ += "\r\n";
    column_ = 0;
    line_start_ = 0;
  }
  out_ += ' ';
  out_ += text;
  column_ += 1 + text.size();
}

void HeaderWriter::text(std::string_view ascii) {
  std::size_t at = 0;
  while (at <= ascii.size()) {
    std::size_t space = ascii.find(' ', at);
    if (space == std::string_view::npos) space = ascii.size();
    if (space > at) word(ascii.substr(at, space - at));
    at = space + 1;
  }
}

void HeaderWriter::encoded_words(std::string_view utf8) {
  constexpr std::string_view kPrefix = "=?UTF-8?B?";
  constexpr std::size_t kOverhead = kPrefix.size() + 2;  // "=?UTF-8?B?" and "?="
  constexpr std::size_t kMaxWord = 75;                   // RFC 2047 2.
  std::size_t at = 0;
  while (at < utf8.size()) {
    std::size_t room = column_ + 1 < kMaxHeaderLine ? kMaxHeaderLine - column_ - 1 : 0;
    std::size_t chars = room > kOverhead ? (std::min(room, kMaxWord) - kOverhead) / 4 * 4 : 0;
    std::size_t max_bytes = chars / 4 * 3;
    std::size_t end = at;
    while (end < utf8.size()) {
      std::size_t n = utf8_length(utf8, end);
      if (end + n - at > max_bytes) break;
      end += n;
    }
    if (end == at) {
      // Not even one character fits here: continue on a fresh line, which always has room.
      out_ += "\r\n";
      column_ = 0;
      line_start_ = 0;
      continue;
    }
    std::string encoded(kPrefix);
    encoded += base64(utf8.substr(at, end - at));
    encoded += "?=";
    out_ += ' ';
    out_ += encoded;
    column_ += 1 + encoded.size();
    at = end;
  }
}

void append_parameter(std::string& out, std::string_view name, std::string_view utf8_value) {
  constexpr std::size_t kMaxPlainValue = 60;
  if (is_printable_ascii(utf8_value) && utf8_value.size() <= kMaxPlainValue) {
    out += ";\r\n ";
    out += name;
    out += "=\"";
    for (char ch : utf8_value) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
    return;
  }
  // Whole characters, percent-encoded, gathered into sections that fit one line each:
  // " name*N*=" + value + ";".
  std::vector<std::string> sections(1, "UTF-8''");
  std::size_t limit = kMaxHeaderLine - (1 + name.size() + 6 + 1);
  for (std::size_t at = 0; at < utf8_value.size();) {
    std::size_t n = utf8_length(utf8_value, at);
    std::string piece = percent_encode(utf8_value.substr(at, n));
    if (sections.back().size() + piece.size() > limit) sections.emplace_back();
    sections.back() += piece;
    at += n;
  }
  if (sections.size() == 1) {
    out += ";\r\n ";
    out += name;
    out += "*=";
    out += sections.front();
    return;
  }
  for (std::size_t i = 0; i < sections.size(); ++i) {
    out += ";\r\n ";
    out += name;
    out += '*';
    out += std::to_string(i);
    out += "*=";
    out += sections[i];
  }
}

}  // namespace herald::delivery
