// The events the live layer itself writes: welcome, error, pong and session.dropped.
#pragma once

#include <string>
#include <string_view>

#include "live/hub.hpp"
#include "live/live_frame.hpp"

namespace herald::live {

std::string welcome_event(std::string_view session_id, const SessionIdentity& identity,
                          long heartbeat_seconds);
std::string error_event(std::string_view code, std::string_view message);
// {"type":"pong"}, shared.
const FramePtr& pong_frame();
// session.dropped followed by the end of the session: a close frame, or the SSE stream's end.
const FramePtr& dropped_frame(DropReason reason);

}  // namespace herald::live
