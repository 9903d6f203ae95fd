// The client side of the two protocols live_load speaks: just enough of RFC 6455 WebSocket and
// of MQTT 3.1.1 (QoS 0) to open many sessions, answer pings and recognise one round's message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace live_load {

// The text each round sends, and the round number found in a received payload (-1 if none).
std::string marker_text(long round);
long find_marker(std::string_view payload);

// WebSocket: the upgrade request, the key a session uses (derived from a number, so that no key
// has to be kept per connection) and the Sec-WebSocket-Accept the server must answer with it.
std::string websocket_key(std::uint64_t seed);
std::string websocket_accept(std::string_view key);
std::string websocket_upgrade(std::string_view host, std::string_view target,
                              std::string_view token, std::string_view key);

enum class UpgradeResult { incomplete, accepted, refused };
// Checks the server's reply to the upgrade; `size` is the length of its header block.
UpgradeResult check_upgrade(std::string_view data, std::string_view key, std::size_t& size,
                            std::string& status_line);

// A client frame: masked, as RFC 6455 requires of clients.
std::string websocket_frame(std::uint8_t opcode, std::string_view payload, std::uint32_t mask);

struct Frame {
  std::size_t size = 0;  // bytes the frame takes in the input; 0 while it is incomplete
  std::uint8_t opcode = 0;
  std::string_view payload;
  bool malformed = false;
};
// One server frame from the start of `data`. Server frames are unmasked.
Frame parse_websocket_frame(std::string_view data);

// MQTT 3.1.1 packets. In a parsed packet, `opcode` is the packet type (the high nibble of the
// first byte) and `payload` is the application message of a PUBLISH, or the packet's body.
std::string mqtt_connect(std::string_view client_id);
std::string mqtt_subscribe(std::string_view topic);
std::string mqtt_publish(std::string_view topic, std::string_view payload);
Frame parse_mqtt_packet(std::string_view data);

namespace mqtt {
constexpr std::uint8_t connack = 2, publish = 3, suback = 9, pingresp = 13;
}  // namespace mqtt

namespace websocket {
constexpr std::uint8_t continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10;
}  // namespace websocket

}  // namespace live_load
