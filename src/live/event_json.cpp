#include "live/event_json.hpp"

#include <array>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "live/websocket_codec.hpp"

namespace herald::live {

namespace json = boost::json;

std::string welcome_event(std::string_view session_id, const SessionIdentity& identity,
                          long heartbeat_seconds) {
  json::object user{{"id", std::to_string(identity.user_id)}, {"username", identity.username}};
  return json::serialize(json::object{{"type", "welcome"},
                                      {"session", session_id},
                                      {"user", std::move(user)},
                                      {"heartbeat_seconds", heartbeat_seconds}});
}

std::string error_event(std::string_view code, std::string_view message) {
  return json::serialize(json::object{{"type", "error"}, {"code", code}, {"message", message}});
}

const FramePtr& pong_frame() {
  static const FramePtr frame = make_event_frame(R"({"type":"pong"})");
  return frame;
}

namespace {

FramePtr build_dropped(DropReason reason) {
  auto event = make_event_frame(json::serialize(
      json::object{{"type", "session.dropped"}, {"reason", drop_reason_name(reason)}}));
  std::uint16_t code = reason == DropReason::server_shutdown ? close_code::going_away
                       : reason == DropReason::slow_consumer ? close_code::policy_violation
                                                             : close_code::dropped;
  auto frame = std::make_shared<LiveFrame>();
  frame->websocket = event->websocket + encode_close_frame(code, drop_reason_name(reason));
  frame->sse = event->sse + "0\r\n\r\n";
  return frame;
}

}  // namespace

const FramePtr& dropped_frame(DropReason reason) {
  static const std::array<FramePtr, 3> frames = {build_dropped(DropReason::dropped_by_admin),
                                                 build_dropped(DropReason::slow_consumer),
                                                 build_dropped(DropReason::server_shutdown)};
  return frames[static_cast<std::size_t>(reason)];
}

}  // namespace herald::live
