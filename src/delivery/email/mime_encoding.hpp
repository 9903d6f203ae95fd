// The encodings an email needs to carry UTF-8 text and binary files through 7-bit SMTP: base64,
// quoted-printable, RFC 2047 encoded words in folded headers and RFC 2231 parameter values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace herald::delivery {

// RFC 5322 recommends header lines of at most 78 characters; RFC 2047 limits a line holding an
// encoded word to 76. Every header we write keeps to 76.
inline constexpr std::size_t kMaxHeaderLine = 76;
// RFC 2045: base64 and quoted-printable lines are at most 76 characters.
inline constexpr std::size_t kMaxBodyLine = 76;

// Base64 in lines of 76 characters, each ending in CRLF.
std::string base64_lines(std::string_view data);

// Quoted-printable (RFC 2045 6.7) of text whose line breaks are CRLF: lines of at most 76
// characters with soft breaks, '=' and every non-ASCII or control byte escaped, whitespace
// before a line end escaped.
std::string quoted_printable(std::string_view crlf_text);

// `text` with every line break (CRLF, LF or a lone CR) turned into CRLF.
std::string to_crlf(std::string_view text);

// `text` with every control character (C0 and DEL) replaced by a space: what a header may carry.
std::string strip_controls(std::string_view text);

// True when `text` is printable ASCII (0x20-0x7E) only.
bool is_printable_ascii(std::string_view text) noexcept;

// Writes one header field, folding it onto continuation lines of at most kMaxHeaderLine
// characters. Words are placed whole; a word longer than a line gets a line of its own.
class HeaderWriter {
 public:
  HeaderWriter(std::string& out, std::string_view name);
  ~HeaderWriter();  // ends the field with CRLF
  HeaderWriter(const HeaderWriter&) = delete;
  HeaderWriter& operator=(const HeaderWriter&) = delete;

  // One unbreakable word, separated from the previous one by a space (or a fold).
  void word(std::string_view text);
  // Plain text: ASCII words separated by spaces, folded between words.
  void text(std::string_view ascii);
  // UTF-8 text as RFC 2047 "B" encoded words of at most 75 characters, each cut at a character
  // boundary and sized to the room left on its line.
  void encoded_words(std::string_view utf8);

 private:
  std::string& out_;
  std::size_t column_;      // characters on the current line
  std::size_t line_start_;  // where words start on the current line (after "Name:" on the first)
};

// One MIME parameter, `; name="value"` for a short printable ASCII value, otherwise in RFC 2231
// form `; name*0*=UTF-8''...; name*1*=...` (percent-encoded, continued in sections that keep
// lines short and never cut a UTF-8 character). Appends to `out`, starting a new line.
void append_parameter(std::string& out, std::string_view name, std::string_view utf8_value);

}  // namespace herald::delivery
