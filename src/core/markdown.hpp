// Message bodies: CommonMark (or plain text) to safe HTML, and the plain snippet shown in lists.
#pragma once

#include <string>
#include <string_view>

namespace herald {

enum class BodyFormat { markdown, text };

// HTML that is safe to insert into a page: raw HTML in the source is dropped, and links with
// javascript:, vbscript:, file: or data: (other than images) URLs are removed (cmark's safe mode).
std::string render_body_html(std::string_view body, BodyFormat format);

// Up to `max_chars` characters of the body as one line of plain text, cut on a UTF-8 boundary.
std::string make_snippet(std::string_view body, std::size_t max_chars = 140);

}  // namespace herald
