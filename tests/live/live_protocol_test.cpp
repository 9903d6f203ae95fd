// What a live session does with clients that misbehave: malformed, oversized, binary or
// non-UTF-8 frames, floods, silence (half-open connections), and clients too slow to read.
#include <thread>

#include <boost/json/parse.hpp>

#include "live/live_fixture.hpp"

namespace herald::test {
namespace {

constexpr std::uint8_t kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9,
                       kPong = 0xA;

class LiveProtocol : public LiveTest {
 protected:
  // An authenticated raw WebSocket, past its welcome.
  std::unique_ptr<RawWs> open_raw(int receive_buffer_bytes = 0) {
    auto ws = std::make_unique<RawWs>(port(), "/api/v1/live", "Bearer " + admin_token_,
                                      receive_buffer_bytes);
    EXPECT_EQ(ws->status(), 101);
    auto welcome = ws->read_frame();
    EXPECT_TRUE(welcome && welcome->payload.find("welcome") != std::string::npos);
    if (welcome) last_session_ = session_id(boost::json::parse(welcome->payload));
    return ws;
  }

  std::string last_session_;  // the id of the session open_raw opened last
};

TEST_F(LiveProtocol, AnswersPingsAndTextPings) {
  auto ws = open_raw();
  ws->send_frame(kPing, "are you there");
  auto pong = ws->read_frame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, kPong);
  EXPECT_EQ(pong->payload, "are you there");
  ws->send_frame(kText, R"({"type":"ping"})");
  auto text_pong = ws->read_frame();
  ASSERT_TRUE(text_pong);
  EXPECT_EQ(text_pong->payload, R"({"type":"pong"})");
}

TEST_F(LiveProtocol, AssemblesFragmentedMessages) {
  auto ws = open_raw();
  ws->send_frame(kText, R"({"ty)", false);
  ws->send_frame(kPing, "between");  // control frames may come between fragments
  ws->send_frame(kContinuation, R"(pe":"pi)", false);
  ws->send_frame(kContinuation, R"(ng"})", true);
  auto pong = ws->read_frame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->opcode, kPong);
  auto text_pong = ws->read_frame();
  ASSERT_TRUE(text_pong);
  EXPECT_EQ(text_pong->payload, R"({"type":"pong"})");
}

TEST_F(LiveProtocol, AnswersGarbageTextWithAnErrorAndStaysOpen) {
  auto ws = open_raw();
  ws->send_frame(kText, "this is not json");
  auto error = ws->read_frame();
  ASSERT_TRUE(error);
  EXPECT_NE(error->payload.find(R"("type":"error")"), std::string::npos);
  ws->send_frame(kText, R"({"type":"launch_missiles"})");
  error = ws->read_frame();
  ASSERT_TRUE(error);
  EXPECT_NE(error->payload.find("unknown message type"), std::string::npos);
  ws->send_frame(kText, R"({"type":"ping"})");
  auto pong = ws->read_frame();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->payload, R"({"type":"pong"})");
}

TEST_F(LiveProtocol, UnmaskedFrameIsAProtocolError) {
  auto ws = open_raw();
  ws->send_frame(kText, R"({"type":"ping"})", true, false);
  EXPECT_EQ(ws->read_until_close(), 1002);
  EXPECT_TRUE(ws->wait_disconnected(7s));
}

TEST_F(LiveProtocol, GarbageBytesAreAProtocolError) {
  auto ws = open_raw();
  ws->send_bytes(std::string("\xff\xff\xff\xff\x00\x01garbage", 13));
  EXPECT_EQ(ws->read_until_close(), 1002);
}

TEST_F(LiveProtocol, ReservedOpcodeAndFragmentedControlFramesAreProtocolErrors) {
  auto reserved = open_raw();
  reserved->send_frame(0x3, "x");
  EXPECT_EQ(reserved->read_until_close(), 1002);
  auto fragmented_ping = open_raw();
  fragmented_ping->send_frame(kPing, "x", false);
  EXPECT_EQ(fragmented_ping->read_until_close(), 1002);
  auto stray = open_raw();
  stray->send_frame(kContinuation, "x");
  EXPECT_EQ(stray->read_until_close(), 1002);
}

TEST_F(LiveProtocol, OversizedFramesAndMessagesCloseWith1009) {
  auto big = open_raw();
  big->send_frame(kText, std::string(4097, 'x'));
  EXPECT_EQ(big->read_until_close(), 1009);
  // Announcing a huge frame is enough: the server does not wait for its bytes.
  auto announced = open_raw();
  announced->send_bytes(std::string("\x81\xff\x00\x00\x00\x01\x00\x00\x00\x00", 10));
  EXPECT_EQ(announced->read_until_close(), 1009);
  auto pieces = open_raw();
  pieces->send_frame(kText, std::string(3000, 'x'), false);
  pieces->send_frame(kContinuation, std::string(3000, 'x'), true);
  EXPECT_EQ(pieces->read_until_close(), 1009);
}

TEST_F(LiveProtocol, BinaryAndNonUtf8TextAreRefused) {
  auto binary = open_raw();
  binary->send_frame(kBinary, "\x01\x02");
  EXPECT_EQ(binary->read_until_close(), 1003);
  auto latin1 = open_raw();
  latin1->send_frame(kText, "caf\xe9");
  EXPECT_EQ(latin1->read_until_close(), 1007);
}

TEST_F(LiveProtocol, AFloodOfClientFramesIsCut) {
  auto ws = open_raw();
  for (int i = 0; i < 200; ++i) ws->send_frame(kText, R"({"type":"ping"})");
  EXPECT_EQ(ws->read_until_close(), 1008);
  auto pongs = open_raw();  // unanswered pongs count too
  for (int i = 0; i < 200; ++i) pongs->send_frame(kPong, "");
  EXPECT_EQ(pongs->read_until_close(), 1008);
  std::string metrics = http().get("/metrics").body;
  EXPECT_EQ(metrics.find("herald_live_rate_limited_total 0\n"), std::string::npos);
}

TEST_F(LiveProtocol, ClientCloseIsAnsweredAndTheSessionLeaves) {
  auto raw = open_raw();
  raw->send_frame(kClose, std::string("\x03\xe8", 2));
  EXPECT_EQ(raw->read_until_close(), 1000);
  raw.reset();
  EXPECT_TRUE(gone(last_session_));
}

TEST_F(LiveProtocol, VanishedClientLeavesTheRegistry) {
  auto raw = open_raw();
  ASSERT_TRUE(listed(last_session_));
  raw.reset();  // the TCP connection ends without a close frame
  EXPECT_TRUE(gone(last_session_));
}

TEST_F(LiveProtocol, SilentClientIsPingedThenClosed) {
  // The heartbeat is one second: a client that never answers is gone after 2.5 s of silence.
  auto silent = open_raw();
  auto ping = silent->read_frame(3s);
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, kPing);
  EXPECT_TRUE(silent->wait_disconnected(6s));
}

TEST_F(LiveProtocol, ClientThatAnswersPingsStaysOpen) {
  WsClient ws(port(), "/api/v1/live", bearer(admin_token_));
  auto welcome = ws.next();
  ASSERT_TRUE(welcome);
  // Beast answers pings while it reads; four heartbeats go by.
  EXPECT_FALSE(ws.next(4s));
  EXPECT_EQ(ws.close_code(), -1);
  EXPECT_TRUE(listed(session_id(*welcome)));
}

TEST_F(LiveProtocol, SseStreamCarriesKeepAliveComments) {
  SseClient sse(port(), "/api/v1/events", bearer(admin_token_));
  ASSERT_TRUE(sse.next_of_type("welcome"));
  EXPECT_FALSE(sse.next(2500ms));
  EXPECT_GE(sse.comments(), 1);
}

TEST_F(LiveProtocol, ClientThatDoesNotReadIsDroppedAndMemoryStaysBounded) {
  auto reader = std::make_unique<WsClient>(port(), "/api/v1/live", bearer(admin_token_));
  ASSERT_TRUE(reader->next());
  auto stuck = open_raw(4096);
  std::string stuck_id = last_session_;
  std::string text(4096, 'a');
  bool dropped = false;
  // The queue holds 1 MiB, and the kernel's socket buffers some megabytes more: 16 MB of
  // alerts is well past both.
  auto last_pong = std::chrono::steady_clock::now();
  for (int i = 0; i < 4000 && !dropped; ++i) {
    // It writes now and then, so it is not idle: only its not reading can get it dropped.
    if (std::chrono::steady_clock::now() - last_pong > 500ms) {
      stuck->send_frame(kPong, "");
      last_pong = std::chrono::steady_clock::now();
    }
    auto sent = http().post("/api/v1/sessions/alert", json_text({{"text", text}}), admin_token_);
    ASSERT_EQ(sent.status, 200);
    if (i % 50 == 49) dropped = !listed(stuck_id);
    // The reader keeps up, so it is never dropped.
    ASSERT_TRUE(reader->next_of_type("alert"));
  }
  EXPECT_TRUE(dropped);
  std::string metrics = http().get("/metrics").body;
  EXPECT_EQ(metrics.find("herald_live_slow_consumers_total 0\n"), std::string::npos);
  EXPECT_TRUE(stuck->wait_disconnected(10s));
}

TEST(LiveShutdown, SessionsAreToldAndClosedWhenTheServerStops) {
  TempDir dir;
  HeraldProcess server(dir.path());
  std::string token = HttpClient(server.base_url()).login("admin", kAdminPassword);
  WsClient ws(server.port(), "/api/v1/live", {{"Authorization", "Bearer " + token}});
  SseClient sse(server.port(), "/api/v1/events", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(ws.next());
  ASSERT_TRUE(sse.next());
  std::thread stopper([&] { EXPECT_EQ(server.terminate(), 0); });
  auto ws_dropped = ws.next_of_type("session.dropped");
  auto sse_dropped = sse.next_of_type("session.dropped");
  stopper.join();
  ASSERT_TRUE(ws_dropped);
  EXPECT_EQ(ws_dropped->at("reason").as_string(), "server_shutdown");
  ASSERT_TRUE(sse_dropped);
  EXPECT_EQ(sse_dropped->at("reason").as_string(), "server_shutdown");
}

}  // namespace
}  // namespace herald::test
