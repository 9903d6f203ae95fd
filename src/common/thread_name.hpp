// Names the calling thread, so that `top -H`, `perf` and debuggers tell herald's threads apart.
#pragma once

#include <string_view>

namespace herald {

// Linux keeps 15 bytes of a thread's name; a longer one is cut.
void name_this_thread(std::string_view name) noexcept;

}  // namespace herald
