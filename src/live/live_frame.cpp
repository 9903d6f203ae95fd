#include "live/live_frame.hpp"

#include <fmt/format.h>

#include "live/websocket_codec.hpp"

namespace herald::live {
namespace {

std::string sse_chunk(std::string_view event_text) {
  return fmt::format("{:x}\r\n{}\r\n", event_text.size(), event_text);
}

}  // namespace

FramePtr make_event_frame(std::string_view json) {
  auto frame = std::make_shared<LiveFrame>();
  frame->websocket = encode_frame(Opcode::text, json);
  frame->sse = sse_chunk(fmt::format("data: {}\n\n", json));
  return frame;
}

const FramePtr& heartbeat_frame() {
  static const FramePtr frame = [] {
    auto built = std::make_shared<LiveFrame>();
    built->websocket = encode_frame(Opcode::ping, "");
    built->sse = sse_chunk(": ping\n\n");
    return FramePtr(std::move(built));
  }();
  return frame;
}

}  // namespace herald::live
