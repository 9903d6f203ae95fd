// The server's WebSocket framing against the examples of RFC 6455 and the frames it must refuse.
#include <gtest/gtest.h>

#include "live/live_frame.hpp"
#include "live/websocket_codec.hpp"

namespace herald::live {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

DecodeResult decode(std::string& data, std::size_t max = 4096) {
  return decode_client_frame(std::span<char>(data.data(), data.size()), max);
}

TEST(WebSocketCodec, AcceptKeyMatchesTheRfcExample) {
  EXPECT_EQ(websocket_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketCodec, EncodesTheRfcExamples) {
  EXPECT_EQ(encode_frame(Opcode::text, "Hello"), bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  std::string medium = encode_frame(Opcode::text, std::string(256, 'x'));
  EXPECT_EQ(medium.substr(0, 4), bytes({0x81, 0x7E, 0x01, 0x00}));
  EXPECT_EQ(medium.size(), 260u);
  std::string large = encode_frame(Opcode::text, std::string(65536, 'x'));
  EXPECT_EQ(large.substr(0, 10), bytes({0x81, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}));
  EXPECT_EQ(encode_close_frame(1000, "bye"), bytes({0x88, 0x05, 0x03, 0xE8, 'b', 'y', 'e'}));
}

TEST(WebSocketCodec, DecodesTheRfcMaskedHello) {
  std::string data = bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  auto result = decode(data);
  ASSERT_EQ(result.status, DecodeStatus::frame);
  EXPECT_EQ(result.frame.opcode, Opcode::text);
  EXPECT_TRUE(result.frame.fin);
  EXPECT_EQ(result.frame.payload, "Hello");
  EXPECT_EQ(result.consumed, data.size());
}

TEST(WebSocketCodec, WantsMoreUntilTheWholeFrameIsThere) {
  std::string whole = bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  for (std::size_t n = 0; n < whole.size(); ++n) {
    std::string part = whole.substr(0, n);
    EXPECT_EQ(decode(part).status, DecodeStatus::need_more) << n;
  }
}

TEST(WebSocketCodec, RefusesWhatAClientMayNotSend) {
  std::string unmasked = bytes({0x81, 0x05, 'H', 'e', 'l', 'l', 'o'});
  EXPECT_EQ(decode(unmasked).status, DecodeStatus::protocol_error);
  std::string reserved_bit = bytes({0xC1, 0x80, 0, 0, 0, 0});
  EXPECT_EQ(decode(reserved_bit).status, DecodeStatus::protocol_error);
  std::string unknown_opcode = bytes({0x83, 0x80, 0, 0, 0, 0});
  EXPECT_EQ(decode(unknown_opcode).status, DecodeStatus::protocol_error);
  std::string fragmented_ping = bytes({0x09, 0x80, 0, 0, 0, 0});
  EXPECT_EQ(decode(fragmented_ping).status, DecodeStatus::protocol_error);
  std::string long_ping = bytes({0x89, 0xFE, 0x00, 0x7E});
  EXPECT_EQ(decode(long_ping).status, DecodeStatus::protocol_error);
  std::string not_minimal = bytes({0x81, 0xFE, 0x00, 0x05});
  EXPECT_EQ(decode(not_minimal).status, DecodeStatus::protocol_error);
}

TEST(WebSocketCodec, RefusesAnOversizedFrameFromItsHeaderAlone) {
  std::string huge = bytes({0x81, 0xFF, 0, 0, 0, 0x01, 0, 0, 0, 0});
  EXPECT_EQ(decode(huge).status, DecodeStatus::too_big);
  std::string over = bytes({0x81, 0xFE, 0x10, 0x01});
  EXPECT_EQ(decode(over, 4096).status, DecodeStatus::too_big);
}

TEST(WebSocketCodec, ReadsCloseCodes) {
  EXPECT_EQ(close_code_of(""), 1005);
  EXPECT_EQ(close_code_of(bytes({0x03, 0xE8})), 1000);
  EXPECT_EQ(close_code_of(bytes({0x0F, 0xA0, 'x'})), 4000);
  EXPECT_EQ(close_code_of(bytes({0x03})), 0);
  EXPECT_EQ(close_code_of(bytes({0x03, 0xED})), 0);  // 1005 may not be sent
}

TEST(LiveFrame, OneEventServesBothProtocols) {
  auto frame = make_event_frame(R"({"type":"alert"})");
  EXPECT_EQ(frame->websocket, encode_frame(Opcode::text, R"({"type":"alert"})"));
  EXPECT_EQ(frame->sse, "18\r\ndata: {\"type\":\"alert\"}\n\n\r\n");
}

}  // namespace
}  // namespace herald::live
