// Notices delivered end to end: a real `herald serve` sends through a real SMTP server
// (aiosmtpd, read back with Python's email package) and a Web Push service over HTTP/2 with TLS
// (Node.js, decrypting with http_ece and verifying VAPID with jose), records every outcome, and
// resumes what was in flight after kill -9.
#include "delivery/delivery_fixture.hpp"

namespace herald::test {
namespace {

class NoticeDelivery : public DeliveryTest {};

TEST_F(NoticeDelivery, EmailArrivesWithBothPartsAndItsMessageId) {
  SmtpSink sink;
  start({"--smtp", sink.url()});
  auto [id, token] = make_user("amelie");
  auto sent = notify({{"to", {"user:" + id}},
                      {"email",
                       {{"subject", "Réunion des parents — jeudi"},
                        {"body", "Rendez-vous à **18 h** en salle 12."}}}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.json().at("recipients").at(0).at("email").at("status"), "queued");
  auto rows = settled_deliveries(std::string(sent.json().at("id").as_string()));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("status"), "sent") << json::serialize(rows);
  EXPECT_EQ(rows[0].at("attempts").as_int64(), 1);

  ASSERT_EQ(sink.messages(), 1);
  ParsedMail mail = parse_mail(sink.message_file(1));
  EXPECT_TRUE(mail.defects.empty());
  EXPECT_EQ(mail.subject, "Réunion des parents — jeudi");
  EXPECT_EQ(mail.from_address, "herald@school.example");
  EXPECT_EQ(mail.from_name, "Administrator");
  EXPECT_EQ(mail.to_address, "amelie@school.example");
  EXPECT_EQ(mail.to_name, "Zoé amelie");
  EXPECT_EQ(mail.message_id, std::string(rows[0].at("idempotency_key").as_string()));
  ASSERT_TRUE(mail.text && mail.html);
  EXPECT_NE(mail.text->find("Rendez-vous à **18 h** en salle 12."), std::string::npos);
  EXPECT_NE(mail.html->find("<strong>18 h</strong>"), std::string::npos) << *mail.html;
}

TEST_F(NoticeDelivery, PushIsEncryptedForTheBrowserAndSignedWithTheServersKey) {
  auto certificate = make_test_certificate(data_.path());
  delivery::SigningKey browser = delivery::SigningKey::generate_p256();
  std::ofstream(data_.path() / "browser.pem") << browser.private_key_pem();
  std::string auth = base64url_encode(random_bytes(16));
  NodePeer push_service(
      "web_push_peer.mjs",
      {"--ua-key", (data_.path() / "browser.pem").string(), "--auth", auth, "--subject", kSubject,
       "--cert", certificate.cert_file.string(), "--key", certificate.key_file.string()});
  start({"--push-ca-file", certificate.cert_file.string()});
  auto [id, token] = make_user("bastien");
  auto subscribe = [&](const std::string& behaviour) {
    json::object device{
        {"platform", "webpush"},
        {"endpoint", push_service.origin("https") + "/push/" + behaviour},
        {"keys", {{"p256dh", base64url_encode(browser.public_key_point())}, {"auth", auth}}}};
    auto added = client().post("/api/v1/devices", json::serialize(device), token);
    EXPECT_EQ(added.status, 201) << added.body;
    return std::string(added.json().at("id").as_string());
  };
  subscribe("ok");
  std::string gone = subscribe("gone");
  // The key browsers subscribe with is the one that signs.
  std::string vapid(client().get("/api/v1/push/vapid", token).json().at("public_key").as_string());

  auto sent = notify(
      {{"to", {"user:" + id}},
       {"push", {{"text", "Cours annulé demain"}, {"url", "https://school.example/news/7"}}}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.json().at("recipients").at(0).at("push").at("devices").as_int64(), 2);
  std::string message(sent.json().at("id").as_string());
  auto rows = settled_deliveries(message);
  ASSERT_EQ(rows.size(), 2u);
  json::object ok_row, gone_row;
  for (const auto& row : rows) {
    (row.at("device_id") == json::value(gone) ? gone_row : ok_row) = row.as_object();
  }
  EXPECT_EQ(ok_row.at("status"), "sent") << json::serialize(rows);
  EXPECT_EQ(gone_row.at("status"), "failed");

  wait_for([&] { return push_service.record_count() >= 2; });
  for (std::size_t i = 0; i < 2; ++i) {
    auto record = push_service.record(i);
    if (record.at("path").as_string().ends_with("/gone")) continue;
    EXPECT_TRUE(record.at("error").is_null()) << json::serialize(record);
    EXPECT_EQ(record.at("vapid").at("k"), json::value(vapid));
    EXPECT_EQ(record.at("vapid").at("sub"), kSubject);
    EXPECT_EQ(record.at("content_encoding"), "aes128gcm");
    auto payload = json::parse(record.at("payload").as_string());
    EXPECT_EQ(payload.at("text"), "Cours annulé demain");
    EXPECT_EQ(payload.at("url"), "https://school.example/news/7");
    EXPECT_EQ(payload.at("id"), ok_row.at("idempotency_key"));
  }
  // The push service said the second browser is gone: its device is removed.
  auto devices = client().get("/api/v1/devices", token).json().at("items").as_array();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_NE(devices[0].at("id"), json::value(gone));
}

TEST_F(NoticeDelivery, AnUnreachableRelayIsRetriedThenMarkedFailed) {
  unsigned short closed_port = 0;
  {
    SilentListener listener;  // closed at once: connections to its port are refused
    closed_port = listener.port();
  }
  start({"--smtp", "smtp://127.0.0.1:" + std::to_string(closed_port), "--delivery-attempts", "3"});
  auto [id, token] = make_user("chloe");
  auto sent = notify({{"to", {"user:" + id}}, {"email", {{"subject", "Hello"}, {"body", "x"}}}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  auto rows = settled_deliveries(std::string(sent.json().at("id").as_string()));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("status"), "failed");
  EXPECT_EQ(rows[0].at("attempts").as_int64(), 3);
  EXPECT_TRUE(rows[0].at("last_error").as_string().starts_with("gave up after 3 attempts"))
      << json::serialize(rows[0]);
}

TEST_F(NoticeDelivery, DeliveriesInFlightDuringACrashAreSentAfterTheRestart) {
  SilentListener hanging;
  start({"--smtp", "smtp://127.0.0.1:" + std::to_string(hanging.port())}, 60'000);
  auto [id, token] = make_user("denis");
  auto sent = notify({{"to", {"user:" + id}}, {"email", {{"subject", "Drill"}, {"body", "Now"}}}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  std::string message(sent.json().at("id").as_string());
  // A worker has taken the row and waits on the relay's greeting.
  wait_for([&] {
    auto rows = client().get("/api/v1/deliveries?message=" + message, admin_).json().at("items");
    return rows.at(0).at("attempts").as_int64() == 1;
  });
  server_->kill_hard();

  SmtpSink sink;
  start({"--smtp", sink.url()});
  auto rows = settled_deliveries(message);
  EXPECT_EQ(rows[0].at("status"), "sent") << json::serialize(rows);
  EXPECT_EQ(rows[0].at("attempts").as_int64(), 2);
  ASSERT_EQ(sink.messages(), 1);
  EXPECT_EQ(parse_mail(sink.message_file(1)).message_id,
            std::string(rows[0].at("idempotency_key").as_string()));
}

}  // namespace
}  // namespace herald::test
