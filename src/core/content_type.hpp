// Sniffs a file's media type from its first bytes (the declared name is a hint only).
#pragma once

#include <string>
#include <string_view>

namespace herald {

// `head`: the first bytes of the file (512 are plenty).
std::string sniff_content_type(std::string_view head, std::string_view name);

}  // namespace herald
