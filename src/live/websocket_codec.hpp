// RFC 6455 framing as the server sees it: the handshake's accept key, unmasked frames out, and
// masked client frames in, parsed and validated without any I/O type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace herald::live {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

// Close codes the server sends (RFC 6455 section 7.4.1, and 4000 of our own).
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
inline constexpr std::uint16_t invalid_payload = 1007;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t too_big = 1009;
inline constexpr std::uint16_t dropped = 4000;
}  // namespace close_code

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
std::string websocket_accept_key(std::string_view client_key);

// One unmasked server frame, fin set.
std::string encode_frame(Opcode opcode, std::string_view payload);
std::string encode_close_frame(std::uint16_t code, std::string_view reason);

struct ClientFrame {
  Opcode opcode = Opcode::text;
  bool fin = true;
  std::string_view payload;  // unmasked in place, inside the buffer given to decode
};

enum class DecodeStatus { frame, need_more, protocol_error, too_big };

struct DecodeResult {
  DecodeStatus status = DecodeStatus::need_more;
  ClientFrame frame;
  std::size_t consumed = 0;  // bytes of the frame, header included, when status is frame
};

// Parses the client frame at the start of `data`, unmasking its payload in place. Refuses what a
// client may not send: unmasked frames, reserved bits, unknown opcodes, fragmented or oversized
// control frames; a payload longer than `max_payload` is too_big as soon as its header is read.
DecodeResult decode_client_frame(std::span<char> data, std::size_t max_payload);

// The code in a close frame's payload: 1005 ("no status") when absent, 0 when invalid.
std::uint16_t close_code_of(std::string_view payload);

}  // namespace herald::live
