// UTF-8 validation for text that reaches us outside the JSON parser (paths, queries).
#pragma once

#include <string_view>

namespace herald {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace herald
