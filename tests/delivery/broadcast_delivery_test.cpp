// Broadcasts delivered end to end: the push (decrypted by a real Web Push service) says who
// sent it and links to it without its content, the email (read back from a real SMTP server)
// carries it; a retraction cancels the deliveries still queued while a recipient's live session
// watches; and an accepted broadcast's deliveries are written once even across kill -9.
#include "delivery/delivery_fixture.hpp"
#include "support/live_clients.hpp"

namespace herald::test {
namespace {

class BroadcastDelivery : public DeliveryTest {
 protected:
  HttpResult broadcast(const json::object& body) {
    return client().post("/api/v1/broadcasts", json::serialize(body), admin_);
  }
  json::array deliveries(const std::string& message) {
    auto reply = client().get("/api/v1/deliveries?limit=200&message=" + message, admin_);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json().at("items").as_array();
  }
  // Waits until the message has `count` delivery rows, all in `status`.
  json::array rows_in(const std::string& message, std::size_t count, const std::string& status) {
    json::array rows;
    wait_for([&] {
      rows = deliveries(message);
      return rows.size() == count && std::all_of(rows.begin(), rows.end(), [&](const auto& row) {
               return row.at("status") == json::value(status);
             });
    });
    return rows;
  }
};

TEST_F(BroadcastDelivery, PushLinksToItWithoutTheContentAndEmailCarriesIt) {
  auto certificate = make_test_certificate(data_.path());
  delivery::SigningKey browser = delivery::SigningKey::generate_p256();
  std::ofstream(data_.path() / "browser.pem") << browser.private_key_pem();
  std::string auth = base64url_encode(random_bytes(16));
  NodePeer push_service(
      "web_push_peer.mjs",
      {"--ua-key", (data_.path() / "browser.pem").string(), "--auth", auth, "--subject", kSubject,
       "--cert", certificate.cert_file.string(), "--key", certificate.key_file.string()});
  SmtpSink sink;
  start({"--smtp", sink.url(), "--push-ca-file", certificate.cert_file.string(), "--public-url",
         "https://herald.school.example/"});
  auto [id, token] = make_user("elise");
  json::object device{
      {"platform", "webpush"},
      {"endpoint", push_service.origin("https") + "/push/ok"},
      {"keys", {{"p256dh", base64url_encode(browser.public_key_point())}, {"auth", auth}}}};
  ASSERT_EQ(client().post("/api/v1/devices", json::serialize(device), token).status, 201);

  auto sent = broadcast({{"to", {"user:" + id}},
                         {"subject", "Fermeture exceptionnelle"},
                         {"body", "L'école ferme à **midi** vendredi."}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.json().at("summary").at("push").at("queued").as_int64(), 1);
  EXPECT_EQ(sent.json().at("summary").at("email").at("queued").as_int64(), 1);
  std::string message(sent.json().at("id").as_string());
  rows_in(message, 2, "sent");

  ASSERT_EQ(sink.messages(), 1);
  ParsedMail mail = parse_mail(sink.message_file(1));
  EXPECT_EQ(mail.subject, "Fermeture exceptionnelle");
  EXPECT_EQ(mail.to_address, "elise@school.example");
  ASSERT_TRUE(mail.text && mail.html);
  EXPECT_NE(mail.html->find("<strong>midi</strong>"), std::string::npos) << *mail.html;

  wait_for([&] { return push_service.record_count() >= 1; });
  auto record = push_service.record(0);
  EXPECT_TRUE(record.at("error").is_null()) << json::serialize(record);
  auto payload = json::parse(record.at("payload").as_string());
  EXPECT_EQ(payload.at("title"), "New broadcast from Administrator");
  EXPECT_EQ(payload.at("url"), json::value("https://herald.school.example/messages/" + message));
  std::string text = json::serialize(payload);
  EXPECT_EQ(text.find("midi"), std::string::npos) << text;
  EXPECT_EQ(text.find("Fermeture"), std::string::npos) << text;
}

TEST_F(BroadcastDelivery, RetractionCancelsQueuedDeliveriesWhileARecipientWatches) {
  unsigned short closed_port = 0;
  {
    SilentListener listener;  // closed at once: the relay refuses, and each row waits an hour
    closed_port = listener.port();
  }
  start({"--smtp", "smtp://127.0.0.1:" + std::to_string(closed_port)}, 2000, "3600000");
  std::vector<std::pair<std::string, std::string>> people;
  json::array to;
  for (const char* name : {"fanny", "gael", "hugo"}) {
    people.push_back(make_user(name));
    to.emplace_back("user:" + people.back().first);
  }
  WsClient live(server_->port(), "/api/v1/live", {{"Authorization", "Bearer " + people[0].second}});
  ASSERT_TRUE(live.next_of_type("welcome"));
  auto sent = broadcast({{"to", to},
                         {"subject", "Trip"},
                         {"body", "Bring a coat."},
                         {"channels", {"inbox", "email"}}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  std::string message(sent.json().at("id").as_string());
  ASSERT_TRUE(live.next_of_type("message.new"));
  // Each email was tried once and waits for its retry.
  json::array rows;
  wait_for([&] {
    rows = deliveries(message);
    return rows.size() == 3 && std::all_of(rows.begin(), rows.end(), [](const auto& row) {
             return row.at("status") == "queued" && row.at("attempts").as_int64() == 1;
           });
  });
  ASSERT_EQ(rows.size(), 3u) << json::serialize(rows);

  ASSERT_EQ(client().del("/api/v1/broadcasts/" + message, admin_).status, 204);
  auto retracted = live.next_of_type("message.retracted");
  ASSERT_TRUE(retracted);
  EXPECT_EQ(retracted->at("message").at("id").as_string(), message);
  rows_in(message, 3, "cancelled");
  for (const auto& [user_id, token] : people) {
    EXPECT_EQ(client().get("/api/v1/messages/" + message, token).status, 404);
    EXPECT_EQ(client().get("/api/v1/me", token).json().at("unread").at("inbox").as_int64(), 0);
  }
}

TEST_F(BroadcastDelivery, AnAcceptedBroadcastSurvivesKillAndItsDeliveriesAreWrittenOnce) {
  std::string message;
  {
    SilentListener hanging;
    start({"--smtp", "smtp://127.0.0.1:" + std::to_string(hanging.port())}, 60'000);
    std::vector<std::string> to;
    for (const char* name : {"ines", "jules", "kim", "lea"}) {
      to.push_back("user:" + make_user(name).first);
    }
    auto sent = broadcast({{"to", json::value_from(to)},
                           {"subject", "Fire drill"},
                           {"body", "At 10:00."},
                           {"channels", {"inbox", "email"}}});
    ASSERT_EQ(sent.status, 201) << sent.body;
    server_->kill_hard();  // right after the 201: the fan-out may not have run at all
    message = std::string(sent.json().at("id").as_string());
  }
  SmtpSink sink;
  start({"--smtp", sink.url()});
  rows_in(message, 4, "sent");
  EXPECT_EQ(sink.messages(), 4);
  auto listed = client().get("/api/v1/broadcasts", admin_).json().at("items").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("recipient_count").as_int64(), 4);
  EXPECT_FALSE(listed[0].at("deliveries_pending").as_bool());
}

}  // namespace
}  // namespace herald::test
