#include "store/sqlite/sqlite_text.hpp"

namespace herald::sqlite {
namespace {

std::string escape_like(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string like_prefix(std::string_view prefix) {
  return escape_like(prefix) + "%";
}

std::string like_word_prefix(std::string_view prefix) {
  return "% " + escape_like(prefix) + "%";
}

std::string prefix_upper_bound(std::string_view prefix) {
  // U+10FFFF sorts after every valid UTF-8 sequence under SQLite's BINARY collation.
  return std::string(prefix) + "\xF4\x8F\xBF\xBF";
}

}  // namespace herald::sqlite
