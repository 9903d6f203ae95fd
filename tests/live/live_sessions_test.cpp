// Live sessions over real WebSocket and SSE connections: who may open one, the registry,
// alerts to all or one, dropping, and tickets.
#include <thread>

#include "live/live_fixture.hpp"

namespace herald::test {
namespace {

class LiveSessions : public LiveTest {};

TEST_F(LiveSessions, WebSocketWithBearerTokenIsWelcomedAndListed) {
  auto ann = make_account("ann");
  WsClient ws(port(), "/api/v1/live?client=desk-app%2F2.1&system_user=ANN.W", bearer(ann.token));
  auto welcome = ws.next();
  ASSERT_TRUE(welcome);
  EXPECT_EQ(type_of(*welcome), "welcome");
  EXPECT_EQ(welcome->at("user").at("id").as_string(), ann.id);
  EXPECT_EQ(welcome->at("user").at("username").as_string(), ann.username);
  EXPECT_EQ(welcome->at("heartbeat_seconds").as_int64(), 1);

  auto items = sessions("?user=" + ann.username);
  ASSERT_EQ(items.size(), 1u);
  const auto& session = items[0].as_object();
  EXPECT_EQ(session.at("id").as_string(), session_id(*welcome));
  EXPECT_EQ(session.at("user").at("id").as_string(), ann.id);
  EXPECT_EQ(session.at("protocol").as_string(), "websocket");
  EXPECT_EQ(session.at("client").as_string(), "desk-app/2.1");
  EXPECT_EQ(session.at("system_user").as_string(), "ANN.W");
  EXPECT_EQ(session.at("remote_address").as_string(), "127.0.0.1");
  EXPECT_TRUE(session.at("connected_at").is_string());
  EXPECT_TRUE(session.at("last_activity").is_string());
}

TEST_F(LiveSessions, ListFiltersByUsernameOrSystemUserIgnoringCase) {
  auto bo = make_account("bo");
  auto cy = make_account("cy");
  std::string system_user = unique("winuser");
  WsClient a(port(), "/api/v1/live", bearer(bo.token));
  WsClient b(port(), "/api/v1/live?system_user=" + system_user, bearer(cy.token));
  ASSERT_TRUE(a.next());
  ASSERT_TRUE(b.next());
  std::string upper = bo.username;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto by_name = sessions("?user=" + upper);
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_EQ(by_name[0].at("user").at("username").as_string(), bo.username);
  auto by_system_user = sessions("?user=" + system_user);
  ASSERT_EQ(by_system_user.size(), 1u);
  EXPECT_EQ(by_system_user[0].at("user").at("username").as_string(), cy.username);
  EXPECT_TRUE(sessions("?user=" + unique("nobody")).empty());
}

TEST_F(LiveSessions, ListPagesWithACursor) {
  auto dee = make_account("dee");
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<WsClient>(port(), "/api/v1/live", bearer(dee.token)));
    ASSERT_TRUE(clients.back()->next());
  }
  auto first = http().get("/api/v1/sessions?limit=2&user=" + dee.username, admin_token_);
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.json().at("items").as_array().size(), 2u);
  std::string cursor(first.json().at("next_cursor").as_string());
  auto second = http().get("/api/v1/sessions?limit=2&user=" + dee.username + "&cursor=" + cursor,
                           admin_token_);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(second.json().at("items").as_array().size(), 1u);
  EXPECT_TRUE(second.json().at("next_cursor").is_null());
}

TEST_F(LiveSessions, OnlyAdminsListSessions) {
  auto eve = make_account("eve");
  EXPECT_EQ(http().get("/api/v1/sessions", eve.token).status, 403);
  EXPECT_EQ(http().get("/api/v1/sessions").status, 401);
}

TEST_F(LiveSessions, AlertReachesEverySessionOfBothProtocols) {
  auto fay = make_account("fay");
  WsClient ws(port(), "/api/v1/live", bearer(fay.token));
  SseClient sse(port(), "/api/v1/events", bearer(fay.token));
  ASSERT_EQ(sse.status(), 200);
  EXPECT_EQ(sse.content_type(), "text/event-stream");
  ASSERT_TRUE(ws.next_of_type("welcome"));
  ASSERT_TRUE(sse.next_of_type("welcome"));
  std::string text = "fire drill at " + unique("t");
  auto sent = http().post("/api/v1/sessions/alert", json_text({{"text", text}}), admin_token_);
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_GE(sent.json().at("delivered").as_int64(), 2);
  for (auto event : {ws.next_of_type("alert"), sse.next_of_type("alert")}) {
    ASSERT_TRUE(event);
    EXPECT_EQ(event->at("text").as_string(), text);
    EXPECT_EQ(event->at("from").at("username").as_string(), "admin");
    EXPECT_TRUE(event->at("sent_at").is_string());
  }
}

TEST_F(LiveSessions, AlertToOneSessionReachesOnlyIt) {
  auto gus = make_account("gus");
  WsClient one(port(), "/api/v1/live", bearer(gus.token));
  WsClient other(port(), "/api/v1/live", bearer(gus.token));
  auto welcome = one.next();
  ASSERT_TRUE(welcome);
  ASSERT_TRUE(other.next());
  auto sent = http().post("/api/v1/sessions/alert",
                          json_text({{"text", "just you"}, {"session", session_id(*welcome)}}),
                          admin_token_);
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json().at("delivered").as_int64(), 1);
  auto alert = one.next_of_type("alert");
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->at("text").as_string(), "just you");
  EXPECT_FALSE(other.next_of_type("alert", 300ms));
}

TEST_F(LiveSessions, AlertRefusesBadInputAndPlainUsers) {
  auto hal = make_account("hal");
  auto sender = make_account("sam", "sender");
  auto post = [](const boost::json::object& body, const std::string& token) {
    return http().post("/api/v1/sessions/alert", json_text(body), token);
  };
  EXPECT_EQ(post({{"text", "hi"}}, hal.token).status, 403);
  EXPECT_EQ(post({{"text", "hi"}}, sender.token).status, 200);
  auto unknown = post({{"text", "hi"}, {"session", "00000000deadbeef"}}, admin_token_);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_code(), "not_found");
  EXPECT_EQ(post({{"text", ""}}, admin_token_).status, 400);
  EXPECT_EQ(post({{"text", std::string(4097, 'x')}}, admin_token_).status, 400);
  EXPECT_EQ(post({{"text", 5}}, admin_token_).status, 400);
  EXPECT_EQ(post({{"text", "hi"}, {"colour", "red"}}, admin_token_).status, 400);
}

TEST_F(LiveSessions, DropSendsTheReasonAndClosesWebSocket) {
  auto ida = make_account("ida");
  WsClient ws(port(), "/api/v1/live", bearer(ida.token));
  auto welcome = ws.next();
  ASSERT_TRUE(welcome);
  std::string id = session_id(*welcome);
  ASSERT_EQ(http().del("/api/v1/sessions/" + id, admin_token_).status, 204);
  auto dropped = ws.next_of_type("session.dropped");
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->at("reason").as_string(), "dropped_by_admin");
  EXPECT_FALSE(ws.next());
  EXPECT_EQ(ws.close_code(), 4000);
  EXPECT_TRUE(gone(id));
  EXPECT_EQ(http().del("/api/v1/sessions/" + id, admin_token_).status, 404);
}

TEST_F(LiveSessions, DropEndsTheSseStream) {
  auto jo = make_account("jo");
  SseClient sse(port(), "/api/v1/events", bearer(jo.token));
  auto welcome = sse.next_of_type("welcome");
  ASSERT_TRUE(welcome);
  ASSERT_EQ(http().del("/api/v1/sessions/" + session_id(*welcome), admin_token_).status, 204);
  auto dropped = sse.next_of_type("session.dropped");
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->at("reason").as_string(), "dropped_by_admin");
  EXPECT_TRUE(sse.ended());
}

TEST_F(LiveSessions, UsersDropTheirOwnSessionsButNotOthers) {
  auto kim = make_account("kim");
  auto lou = make_account("lou");
  WsClient mine(port(), "/api/v1/live", bearer(kim.token));
  WsClient theirs(port(), "/api/v1/live", bearer(lou.token));
  auto my_welcome = mine.next();
  auto their_welcome = theirs.next();
  ASSERT_TRUE(my_welcome && their_welcome);
  EXPECT_EQ(http().del("/api/v1/sessions/" + session_id(*their_welcome), kim.token).status, 404);
  EXPECT_TRUE(listed(session_id(*their_welcome)));
  EXPECT_EQ(http().del("/api/v1/sessions/" + session_id(*my_welcome), kim.token).status, 204);
  EXPECT_TRUE(mine.next_of_type("session.dropped"));
}

TEST_F(LiveSessions, TicketOpensOneSessionOnce) {
  auto max = make_account("max");
  auto issued = http().post("/api/v1/live/ticket", "", max.token);
  ASSERT_EQ(issued.status, 201) << issued.body;
  std::string ticket(issued.json().at("ticket").as_string());
  EXPECT_TRUE(issued.json().at("expires_at").is_string());
  WsClient ws(port(), "/api/v1/live?ticket=" + ticket);
  auto welcome = ws.next();
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->at("user").at("id").as_string(), max.id);
  EXPECT_EQ(WsClient::upgrade_status(port(), "/api/v1/live?ticket=" + ticket), 401);
  EXPECT_EQ(WsClient::upgrade_status(port(), "/api/v1/live?ticket=made-up"), 401);
  EXPECT_EQ(http().post("/api/v1/live/ticket", "").status, 401);
}

TEST_F(LiveSessions, TicketOpensAnSseStreamToo) {
  auto ned = make_account("ned");
  auto issued = http().post("/api/v1/live/ticket", "", ned.token);
  ASSERT_EQ(issued.status, 201);
  SseClient sse(port(),
                "/api/v1/events?ticket=" + std::string(issued.json().at("ticket").as_string()));
  EXPECT_EQ(sse.status(), 200);
  EXPECT_TRUE(sse.next_of_type("welcome"));
}

TEST_F(LiveSessions, HelloFrameAuthenticatesAWebSocketOpenedWithoutCredentials) {
  auto oz = make_account("oz");
  WsClient ws(port(), "/api/v1/live");
  ws.send_text(json_text(
      {{"type", "hello"}, {"token", oz.token}, {"client", "kiosk"}, {"system_user", "oz-pc"}}));
  auto welcome = ws.next();
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->at("user").at("id").as_string(), oz.id);
  auto items = sessions("?user=oz-pc");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("client").as_string(), "kiosk");
}

TEST_F(LiveSessions, HelloWithATicketWorksOnce) {
  auto pia = make_account("pia");
  auto issued = http().post("/api/v1/live/ticket", "", pia.token);
  std::string ticket(issued.json().at("ticket").as_string());
  WsClient first(port(), "/api/v1/live");
  first.send_text(json_text({{"type", "hello"}, {"ticket", ticket}}));
  ASSERT_TRUE(first.next_of_type("welcome"));
  WsClient second(port(), "/api/v1/live");
  second.send_text(json_text({{"type", "hello"}, {"ticket", ticket}}));
  EXPECT_FALSE(second.next());
  EXPECT_EQ(second.close_code(), 1008);
}

TEST_F(LiveSessions, FramesBeforeHelloOrABadHelloClose) {
  WsClient early(port(), "/api/v1/live");
  early.send_text(R"({"type":"ping"})");
  EXPECT_FALSE(early.next());
  EXPECT_EQ(early.close_code(), 1008);
  WsClient wrong(port(), "/api/v1/live");
  wrong.send_text(json_text({{"type", "hello"}, {"token", "not-a-token"}}));
  EXPECT_FALSE(wrong.next());
  EXPECT_EQ(wrong.close_code(), 1008);
}

TEST_F(LiveSessions, SilentUnauthenticatedWebSocketIsClosedAfterTheHelloTimeout) {
  WsClient silent(port(), "/api/v1/live");
  EXPECT_FALSE(silent.next(5s));
  EXPECT_EQ(silent.close_code(), 1008);
}

TEST_F(LiveSessions, BadCredentialsAreRefusedBeforeTheUpgrade) {
  EXPECT_EQ(WsClient::upgrade_status(port(), "/api/v1/live", bearer("nope")), 401);
  EXPECT_EQ(SseClient(port(), "/api/v1/events").status(), 401);
  EXPECT_EQ(SseClient(port(), "/api/v1/events", bearer("nope")).status(), 401);
  // A plain GET of the WebSocket endpoint is told to upgrade.
  auto plain = http().get("/api/v1/live", admin_token_);
  EXPECT_EQ(plain.status, 426);
  EXPECT_EQ(plain.error_code(), "upgrade_required");
  auto long_name = "/api/v1/live?client=" + std::string(129, 'c');
  EXPECT_EQ(WsClient::upgrade_status(port(), long_name, bearer(admin_token_)), 400);
}

TEST_F(LiveSessions, CookieSessionsMustComeFromTheSameOrigin) {
  auto quinn = make_account("quinn");
  auto login = http().post(
      "/api/v1/login",
      json_text({{"username", quinn.username}, {"password", "password-123"}, {"cookie", true}}));
  ASSERT_EQ(login.status, 200) << login.body;
  std::string cookie;
  for (const auto& value : login.headers_named("set-cookie")) {
    if (value.rfind("herald_session=", 0) == 0) cookie = value.substr(0, value.find(';'));
  }
  ASSERT_FALSE(cookie.empty());
  std::string host = "127.0.0.1:" + std::to_string(port());
  Headers same{{"Cookie", cookie}, {"Origin", "http://" + host}, {"Host", host}};
  WsClient ws(port(), "/api/v1/live", same);
  auto welcome = ws.next();
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->at("user").at("id").as_string(), quinn.id);
  Headers foreign{{"Cookie", cookie}, {"Origin", "https://evil.example"}, {"Host", host}};
  EXPECT_EQ(WsClient::upgrade_status(port(), "/api/v1/live", foreign), 403);
}

}  // namespace
}  // namespace herald::test
