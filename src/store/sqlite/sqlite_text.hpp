// Helpers to turn a search prefix into SQL patterns and ranges.
#pragma once

#include <string>
#include <string_view>

namespace herald::sqlite {

// "ab%_" -> "ab\%\_%": a LIKE pattern (ESCAPE '\') matching strings that start with `prefix`.
std::string like_prefix(std::string_view prefix);
// A LIKE pattern matching a word inside the text that starts with `prefix` ("% ab%").
std::string like_word_prefix(std::string_view prefix);
// The smallest string greater than every string that starts with `prefix` (for range scans).
std::string prefix_upper_bound(std::string_view prefix);

}  // namespace herald::sqlite
