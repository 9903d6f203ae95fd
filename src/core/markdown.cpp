#include "core/markdown.hpp"

#include <cmark.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace herald {
namespace {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Plain text: escaped, paragraphs on blank lines, line breaks kept.
std::string text_to_html(std::string_view body) {
  std::string out = "<p>";
  std::string escaped = escape_html(body);
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '\r') continue;
    if (escaped[i] == '\n') {
      if (i + 1 < escaped.size() && escaped[i + 1] == '\n') {
        out += "</p>\n<p>";
        while (i + 1 < escaped.size() && escaped[i + 1] == '\n') ++i;
      } else {
        out += "<br />\n";
      }
    } else {
      out.push_back(escaped[i]);
    }
  }
  out += "</p>\n";
  return out;
}

}  // namespace

std::string render_body_html(std::string_view body, BodyFormat format) {
  if (format == BodyFormat::text) return text_to_html(body);
  // Without CMARK_OPT_UNSAFE, cmark replaces raw HTML with a comment and drops unsafe links.
  std::unique_ptr<char, decltype(&std::free)> html(
      cmark_markdown_to_html(body.data(), body.size(), CMARK_OPT_DEFAULT | CMARK_OPT_HARDBREAKS),
      &std::free);
  return html ? std::string(html.get()) : std::string();
}

std::string make_snippet(std::string_view body, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  bool pending_space = false;
  for (std::size_t i = 0; i < body.size() && chars < max_chars;) {
    unsigned char lead = static_cast<unsigned char>(body[i]);
    if (lead == ' ' || lead == '\n' || lead == '\r' || lead == '\t') {
      pending_space = !out.empty();
      ++i;
      continue;
    }
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    length = std::min(length, body.size() - i);
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
      if (++chars >= max_chars) break;
    }
    out.append(body.substr(i, length));  // whole characters only
    ++chars;
    i += length;
  }
  return out;
}

}  // namespace herald
