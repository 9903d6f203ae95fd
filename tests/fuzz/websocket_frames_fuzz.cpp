// Feeds arbitrary bytes to the server's client-frame decoder, as a session does: frame after
// frame from one buffer, with the frame size limit a session uses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "live/websocket_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string buffer(reinterpret_cast<const char*>(data), size);
  std::size_t offset = 0;
  while (offset < buffer.size()) {
    std::span<char> rest(buffer.data() + offset, buffer.size() - offset);
    auto result = herald::live::decode_client_frame(rest, 4096);
    if (result.status != herald::live::DecodeStatus::frame) break;
    // A decoded frame lies inside what was given, and its payload inside the frame.
    if (result.consumed == 0 || result.consumed > rest.size()) std::abort();
    if (result.frame.payload.size() > 4096) std::abort();
    if (result.frame.payload.data() < rest.data() ||
        result.frame.payload.data() + result.frame.payload.size() > rest.data() + result.consumed) {
      std::abort();
    }
    if (result.frame.opcode == herald::live::Opcode::close) {
      (void)herald::live::close_code_of(result.frame.payload);
    }
    offset += result.consumed;
  }
  return 0;
}
