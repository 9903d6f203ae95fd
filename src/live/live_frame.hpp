// One event, serialised once for every protocol a session may speak, and shared by reference
// across all the sessions it goes to.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace herald::live {

struct LiveFrame {
  std::string websocket;  // a complete unmasked text frame
  std::string sse;        // a complete HTTP chunk holding "data: JSON\n\n"
};

using FramePtr = std::shared_ptr<const LiveFrame>;

// `json` is one event object on one line.
FramePtr make_event_frame(std::string_view json);

// Keep-alives: a WebSocket ping, and an SSE comment line.
const FramePtr& heartbeat_frame();

}  // namespace herald::live
