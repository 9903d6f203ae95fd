#include "live/websocket_codec.hpp"

#include <openssl/evp.h>

#include <array>

namespace herald::live {
namespace {

constexpr std::string_view kHandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

void append_header(std::string& out, Opcode opcode, std::size_t length) {
  out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
  if (length < 126) {
    out.push_back(static_cast<char>(length));
  } else if (length <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>((length >> 8) & 0xFF));
    out.push_back(static_cast<char>(length & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(length) >> shift) & 0xFF));
    }
  }
}

bool is_known(std::uint8_t opcode) {
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::continuation:
    case Opcode::text:
    case Opcode::binary:
    case Opcode::close:
    case Opcode::ping:
    case Opcode::pong:
      return true;
  }
  return false;
}

}  // namespace

std::string websocket_accept_key(std::string_view client_key) {
  std::string input(client_key);
  input += kHandshakeGuid;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_length = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &digest_length, EVP_sha1(), nullptr);
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> encoded{};
  int length = EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(digest_length));
  return std::string(reinterpret_cast<const char*>(encoded.data()),
                     static_cast<std::size_t>(length));
}

std::string encode_frame(Opcode opcode, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 10);
  append_header(out, opcode, payload.size());
  out.append(payload);
  return out;
}

std::string encode_close_frame(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  // A control frame's payload is at most 125 bytes.
  payload.append(reason.substr(0, 123));
  return encode_frame(Opcode::close, payload);
}

DecodeResult decode_client_frame(std::span<char> data, std::size_t max_payload) {
  DecodeResult result;
  if (data.size() < 2) return result;
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(data[i]); };
  std::uint8_t first = byte(0);
  std::uint8_t second = byte(1);
  bool fin = (first & 0x80) != 0;
  std::uint8_t opcode = first & 0x0F;
  bool masked = (second & 0x80) != 0;
  std::uint64_t length = second & 0x7F;
  if ((first & 0x70) != 0 || !is_known(opcode) || !masked) {
    result.status = DecodeStatus::protocol_error;
    return result;
  }
  bool control = (opcode & 0x08) != 0;
  if (control && (!fin || length > 125)) {
    result.status = DecodeStatus::protocol_error;
    return result;
  }
  std::size_t header = 2;
  if (length == 126) {
    if (data.size() < 4) return result;
    length = (std::uint64_t{byte(2)} << 8) | byte(3);
    header = 4;
    if (length < 126) {
      result.status = DecodeStatus::protocol_error;  // not the minimal encoding
      return result;
    }
  } else if (length == 127) {
    if (data.size() < 10) return result;
    length = 0;
    for (std::size_t i = 2; i < 10; ++i) length = (length << 8) | byte(i);
    header = 10;
    if (length <= 0xFFFF || (length >> 63) != 0) {
      result.status = DecodeStatus::protocol_error;
      return result;
    }
  }
  if (length > max_payload) {
    result.status = DecodeStatus::too_big;
    return result;
  }
  std::size_t total = header + 4 + static_cast<std::size_t>(length);
  if (data.size() < total) return result;
  const char* mask = data.data() + header;
  char* payload = data.data() + header + 4;
  for (std::size_t i = 0; i < length; ++i) payload[i] = static_cast<char>(payload[i] ^ mask[i & 3]);
  result.status = DecodeStatus::frame;
  result.frame.opcode = static_cast<Opcode>(opcode);
  result.frame.fin = fin;
  result.frame.payload = std::string_view(payload, static_cast<std::size_t>(length));
  result.consumed = total;
  return result;
}

std::uint16_t close_code_of(std::string_view payload) {
  if (payload.empty()) return 1005;
  if (payload.size() < 2) return 0;
  auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                         static_cast<std::uint8_t>(payload[1]));
  bool valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
               (code >= 3000 && code <= 4999);
  return valid ? code : 0;
}

}  // namespace herald::live
