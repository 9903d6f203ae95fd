// The WebSocket and MQTT codecs of live_load, written by hand so that a session costs no more
// than its socket and a few bytes of state (see live_load_protocol.hpp).
#include "live_load_protocol.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/detail/sha1.hpp>

namespace live_load {

namespace {

constexpr std::string_view kMarker = "live-load round ";

std::string base64(const void* data, std::size_t size) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::encoded_size(size), '\0');
  out.resize(b64::encode(out.data(), data, size));
  return out;
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The value of header `name` in an HTTP header block, or an empty view.
std::string_view header_value(std::string_view head, std::string_view name) {
  std::size_t at = head.find("\r\n");
  while (at != std::string_view::npos && at + 2 < head.size()) {
    std::size_t start = at + 2;
    std::size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(start, end - start);
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(line.substr(0, colon), name)) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
      }
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
      return value;
    }
    at = end;
  }
  return {};
}

void put_u16(std::string& out, std::size_t value) {
  out.push_back(static_cast<char>((value >> 8) & 0xff));
  out.push_back(static_cast<char>(value & 0xff));
}

void put_mqtt_string(std::string& out, std::string_view text) {
  put_u16(out, text.size());
  out.append(text);
}

// An MQTT packet: fixed header byte, remaining length (variable-length integer), body.
std::string mqtt_packet(std::uint8_t first, std::string_view body) {
  std::string out(1, static_cast<char>(first));
  std::size_t length = body.size();
  do {
    auto digit = static_cast<std::uint8_t>(length % 128);
    length /= 128;
    if (length > 0) digit |= 0x80;
    out.push_back(static_cast<char>(digit));
  } while (length > 0);
  out.append(body);
  return out;
}

}  // namespace

std::string marker_text(long round) {
  return std::string(kMarker) + std::to_string(round);
}

long find_marker(std::string_view payload) {
  std::size_t at = payload.find(kMarker);
  if (at == std::string_view::npos) return -1;
  long round = -1;
  for (std::size_t i = at + kMarker.size(); i < payload.size(); ++i) {
    char c = payload[i];
    if (c < '0' || c > '9') break;
    round = (round < 0 ? 0 : round * 10) + (c - '0');
  }
  return round;
}

std::string websocket_key(std::uint64_t seed) {
  std::uint64_t bytes[2] = {splitmix64(seed), splitmix64(seed)};
  return base64(bytes, sizeof bytes);
}

std::string websocket_accept(std::string_view key) {
  namespace sha1 = boost::beast::detail;
  constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  sha1::sha1_context context;
  sha1::init(context);
  sha1::update(context, key.data(), key.size());
  sha1::update(context, guid.data(), guid.size());
  unsigned char digest[sha1::sha1_context::digest_size];
  sha1::finish(context, digest);
  return base64(digest, sizeof digest);
}

std::string websocket_upgrade(std::string_view host, std::string_view target,
                              std::string_view token, std::string_view key) {
  std::string out;
  out.reserve(256 + token.size());
  out.append("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(host);
  out.append(
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Key: ");
  out.append(key).append("\r\n");
  if (!token.empty()) out.append("Authorization: Bearer ").append(token).append("\r\n");
  out.append("\r\n");
  return out;
}

UpgradeResult check_upgrade(std::string_view data, std::string_view key, std::size_t& size,
                            std::string& status_line) {
  std::size_t end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) return UpgradeResult::incomplete;
  size = end + 4;
  std::string_view head = data.substr(0, end + 2);
  status_line = std::string(head.substr(0, head.find("\r\n")));
  if (!status_line.starts_with("HTTP/1.1 101 ")) return UpgradeResult::refused;
  if (header_value(head, "Sec-WebSocket-Accept") != websocket_accept(key)) {
    status_line += " (wrong Sec-WebSocket-Accept)";
    return UpgradeResult::refused;
  }
  if (!header_value(head, "Sec-WebSocket-Extensions").empty()) {
    status_line += " (an extension the client did not ask for)";
    return UpgradeResult::refused;
  }
  return UpgradeResult::accepted;
}

std::string websocket_frame(std::uint8_t opcode, std::string_view payload, std::uint32_t mask) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>(0x80 | opcode));
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(0x80 | payload.size()));
  } else {
    // Client frames here are pongs and closes, which RFC 6455 caps at 125 bytes; texts are short.
    out.push_back(static_cast<char>(0x80 | 126));
    put_u16(out, payload.size());
  }
  unsigned char key[4];
  std::memcpy(key, &mask, 4);
  out.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    out.push_back(static_cast<char>(payload[i] ^ static_cast<char>(key[i % 4])));
  }
  return out;
}

Frame parse_websocket_frame(std::string_view data) {
  Frame frame;
  if (data.size() < 2) return frame;
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(data[i]); };
  frame.opcode = byte(0) & 0x0f;
  // Reserved bits (no extension was negotiated) and a mask (servers must not mask) are errors.
  if ((byte(0) & 0x70) != 0 || (byte(1) & 0x80) != 0) {
    frame.malformed = true;
    return frame;
  }
  std::uint64_t length = byte(1) & 0x7f;
  std::size_t header = 2;
  if (length == 126) {
    if (data.size() < 4) return frame;
    length = (std::uint64_t{byte(2)} << 8) | byte(3);
    header = 4;
  } else if (length == 127) {
    if (data.size() < 10) return frame;
    length = 0;
    for (std::size_t i = 2; i < 10; ++i) length = (length << 8) | byte(i);
    header = 10;
  }
  if (length > (1u << 24)) {
    frame.malformed = true;
    return frame;
  }
  if (data.size() - header < length) return frame;
  frame.payload = data.substr(header, length);
  frame.size = header + length;
  return frame;
}

std::string mqtt_connect(std::string_view client_id) {
  std::string body;
  put_mqtt_string(body, "MQTT");
  body.push_back(4);     // protocol level: 3.1.1
  body.push_back(0x02);  // clean session
  // The longest keep-alive there is (18 hours): the broker's default max_keepalive refuses 0
  // from 3.1.1 clients, and no run lasts that long, so the tool never has to send PINGREQ.
  put_u16(body, 65535);
  put_mqtt_string(body, client_id);
  return mqtt_packet(0x10, body);
}

std::string mqtt_subscribe(std::string_view topic) {
  std::string body;
  put_u16(body, 1);  // packet identifier
  put_mqtt_string(body, topic);
  body.push_back(0);  // QoS 0
  return mqtt_packet(0x82, body);
}

std::string mqtt_publish(std::string_view topic, std::string_view payload) {
  std::string body;
  put_mqtt_string(body, topic);
  body.append(payload);
  return mqtt_packet(0x30, body);
}

Frame parse_mqtt_packet(std::string_view data) {
  Frame frame;
  std::size_t length = 0, header = 1;
  for (int shift = 0;; shift += 7, ++header) {
    if (header >= data.size()) return frame;
    if (shift > 21) {
      frame.malformed = true;
      return frame;
    }
    auto digit = static_cast<std::uint8_t>(data[header]);
    length |= std::size_t{digit & 0x7fu} << shift;
    if ((digit & 0x80) == 0) break;
  }
  ++header;
  if (data.size() - header < length) return frame;
  auto first = static_cast<std::uint8_t>(data[0]);
  frame.opcode = first >> 4;
  frame.size = header + length;
  std::string_view body = data.substr(header, length);
  if (frame.opcode == mqtt::publish) {
    if (body.size() < 2) {
      frame.malformed = true;
      return frame;
    }
    std::size_t skip =
        2 + ((static_cast<std::uint8_t>(body[0]) << 8) | static_cast<std::uint8_t>(body[1]));
    if ((first & 0x06) != 0) skip += 2;  // QoS 1 or 2 carry a packet identifier
    if (skip > body.size()) {
      frame.malformed = true;
      return frame;
    }
    body.remove_prefix(skip);
  }
  frame.payload = body;
  return frame;
}

}  // namespace live_load
