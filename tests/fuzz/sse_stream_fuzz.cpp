// Feeds an arbitrary stream to the CLI's Server-Sent Events parser, cut into chunks at the
// positions the first bytes choose, as a network would.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/sse_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::size_t step = 1 + data[0] % 64;
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t total = 0;
  herald::cli::SseParser parser([&](std::string_view event) {
    total += event.size();
    if (event.size() > herald::cli::SseParser::kMaxEventBytes) std::abort();
    return true;
  });
  for (std::size_t at = 0; at < stream.size(); at += step) {
    if (!parser.feed(stream.substr(at, step))) break;
  }
  if (total > stream.size()) std::abort();  // events are never bigger than their stream
  return 0;
}
