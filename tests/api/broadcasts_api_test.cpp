// Broadcasts over real HTTP: who may send, what is refused, each recipient's inbox copy and bell
// item, read marks and the author's counters, private replies in one thread per recipient, and
// retraction seen by an open live session. Delivery through real peers is in
// tests/delivery/broadcast_delivery_test.cpp.
#include "api/mail_fixture.hpp"
#include "support/live_clients.hpp"

namespace herald::test {
namespace {

class BroadcastsApi : public MailApi {
 protected:
  static HttpResult broadcast(const std::string& token, const json::object& body) {
    return http().post("/api/v1/broadcasts", json_text(body), token);
  }
  static std::string broadcast_ok(const std::string& token, const json::object& body) {
    auto reply = broadcast(token, body);
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "0";
    return std::string(reply.json().at("id").as_string());
  }
  static json::object details(const std::string& token, const std::string& id,
                              const std::string& query = "") {
    auto reply = http().get("/api/v1/broadcasts/" + id + query, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    return reply.json().as_object();
  }
  static json::array bell_items(const std::string& token) {
    auto reply = http().get("/api/v1/notifications", token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json().at("items").as_array();
  }
  static std::int64_t unread_bell(const std::string& token) {
    return http().get("/api/v1/me", token).json().at("unread").at("notifications").as_int64();
  }
  static json::object recipient_row(const json::object& shown, const std::string& user_id) {
    for (const auto& row : shown.at("recipients").at("items").as_array()) {
      if (row.at("user").at("id").as_string() == user_id) return row.as_object();
    }
    ADD_FAILURE() << "user " << user_id << " is not listed: " << json_text(shown);
    return {};
  }
  static json::object simple(const Ids& to, const std::string& subject = "Snow day") {
    return {{"to", list(to)}, {"subject", subject}, {"body", "School is **closed** on Friday."}};
  }
};

TEST_F(BroadcastsApi, OnlyAdminsAndSendersBroadcastAndAllIsForAdmins) {
  auto plain = make_account("plain");
  auto sender = make_account("sender", "sender");
  auto target = make_account("target");
  auto refused = broadcast(plain.token, simple({user(target.id)}));
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.json().at("error").at("code"), "forbidden");
  EXPECT_EQ(broadcast(sender.token, simple({"all"})).status, 403);
  EXPECT_EQ(folder(target.token, "inbox"), (Counts{0, 0}));

  auto sent = broadcast(sender.token, simple({user(target.id)}));
  ASSERT_EQ(sent.status, 201) << sent.body;
  auto reply = sent.json();
  EXPECT_EQ(reply.at("kind"), "broadcast");
  EXPECT_EQ(reply.at("recipient_count").as_int64(), 1);
  EXPECT_EQ(strings(reply.at("channels")), (Ids{"inbox", "push", "email"}));
  EXPECT_EQ(reply.at("summary").at("inbox").at("delivered").as_int64(), 1);
  // The account has no email address and no device: the reply says so, per channel.
  EXPECT_EQ(reply.at("summary").at("email").at("no_address").as_int64(), 1);
  EXPECT_EQ(reply.at("summary").at("push").at("no_device").as_int64(), 1);

  auto everyone = broadcast(admin_token_, simple({"all"}));
  ASSERT_EQ(everyone.status, 201) << everyone.body;
  // Every user but the author.
  auto users = http().get("/api/v1/users?limit=200", admin_token_).json().at("items").as_array();
  EXPECT_EQ(everyone.json().at("recipient_count").as_int64(),
            static_cast<std::int64_t>(users.size()) - 1);
  EXPECT_EQ(folder(target.token, "inbox"), (Counts{2, 2}));
}

TEST_F(BroadcastsApi, RefusesBadInputAndWritesNothing) {
  auto sender = make_account("sender", "sender");
  auto target = make_account("target");
  auto to = list({user(target.id)});
  auto status_of = [&](const json::object& body) {
    auto reply = broadcast(sender.token, body);
    if (reply.status >= 400) {
      EXPECT_TRUE(reply.json().at("error").as_object().contains("message")) << reply.body;
    }
    return reply.status;
  };
  EXPECT_EQ(status_of({{"to", list({})}, {"subject", "s"}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"subject", ""}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"subject", "s"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"subject", "a\r\nBcc: x"}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"subject", std::string(999, 's')}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"subject", "s"}, {"body", std::string(1024 * 1024 + 1, 'b')}}),
            413);
  EXPECT_EQ(status_of({{"to", to}, {"subject", "s"}, {"body", "b"}, {"channels", list({})}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"subject", "s"}, {"body", "b"}, {"channels", list({"sms"})}}),
            400);
  EXPECT_EQ(status_of({{"to", list({"user:999999"})}, {"subject", "s"}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", list({"device:1"})}, {"subject", "s"}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", list({"group:999999"})}, {"subject", "s"}, {"body", "b"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"subject", "s"}, {"body", "b"}, {"attachments", list({})}}),
            400);
  EXPECT_EQ(folder(target.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(unread_bell(target.token), 0);
  EXPECT_EQ(folder(sender.token, "sent"), (Counts{0, 0}));
  EXPECT_TRUE(http().get("/api/v1/broadcasts", sender.token).json().at("items").as_array().empty());
}

TEST_F(BroadcastsApi, EachRecipientReadsItInTheInboxAndTheBell) {
  auto sender = make_account("sender", "sender");
  auto first = make_account("first");
  auto second = make_account("second");
  auto bystander = make_account("bystander");
  std::string group = make_group("class");
  add_member(group, first.id);
  add_member(group, second.id);
  add_member(group, sender.id);  // the author gets no copy through a group
  std::string mail =
      send_ok(bystander.token,
              {{"to", list({user(first.id)})}, {"subject", "Older mail"}, {"body", "hello"}});
  std::string id = broadcast_ok(sender.token, simple({"group:" + group, user(first.id)}));

  for (const auto* reader : {&first, &second}) {
    auto page = http().get("/api/v1/folders/inbox/messages", reader->token).json();
    const auto& newest = page.at("items").at(0);
    EXPECT_EQ(newest.at("id").as_string(), id);
    EXPECT_EQ(newest.at("kind"), "broadcast");
    EXPECT_EQ(newest.at("subject"), "Snow day");
    EXPECT_FALSE(newest.at("read").as_bool());
    EXPECT_EQ(unread_inbox(reader->token), reader == &first ? 2 : 1);
    auto bell = bell_items(reader->token);
    ASSERT_FALSE(bell.empty());
    EXPECT_EQ(bell.at(0).at("kind"), "broadcast");
    EXPECT_EQ(bell.at(0).at("message_id").as_string(), id);
    EXPECT_TRUE(bell.at(0).at("title").as_string().starts_with("New broadcast from "));
    EXPECT_TRUE(bell.at(0).at("url").as_string().ends_with("/messages/" + id));
    auto shown = message(reader->token, id);
    EXPECT_EQ(shown.at("kind"), "broadcast");
    EXPECT_NE(shown.at("body_html").as_string().find("<strong>closed</strong>"), std::string::npos);
    EXPECT_EQ(strings(shown.at("reply_all")), (Ids{user(sender.id)}));
  }
  // The mail and the broadcast share one inbox, newest first, and the filter by kind works.
  EXPECT_EQ(folder_ids(first.token, "inbox"), (Ids{id, mail}));
  EXPECT_EQ(folder_ids(first.token, "inbox", "", 1), (Ids{id, mail}));
  EXPECT_EQ(folder_ids(first.token, "inbox", "&kind=broadcast"), (Ids{id}));
  EXPECT_EQ(folder_ids(first.token, "inbox", "&kind=mail"), (Ids{mail}));
  EXPECT_EQ(folder(sender.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(folder_ids(sender.token, "sent"), (Ids{id}));
  EXPECT_EQ(status_of(bystander.token, id), 404);

  // Reading is the recipient's own mark, and the author's counter follows.
  ASSERT_EQ(act(first.token, id, "read").status, 204);
  ASSERT_EQ(act(first.token, id, "read").status, 204);  // twice counts once
  EXPECT_EQ(folder(first.token, "inbox"), (Counts{2, 1}));
  EXPECT_EQ(folder_ids(first.token, "inbox", "&unread=true"), (Ids{mail}));
  EXPECT_EQ(details(sender.token, id).at("read_count").as_int64(), 1);
  EXPECT_EQ(folder(second.token, "inbox"), (Counts{1, 1}));
  ASSERT_EQ(act(first.token, id, "unread").status, 204);
  EXPECT_EQ(details(sender.token, id).at("read_count").as_int64(), 0);
  EXPECT_EQ(bulk(first.token, {id, mail}, "read").status, 204);
  EXPECT_EQ(folder(first.token, "inbox"), (Counts{2, 0}));
  // It stays in the inbox as long as it exists.
  EXPECT_EQ(act(first.token, id, "trash").status, 409);
  EXPECT_EQ(act(bystander.token, id, "read").status, 404);

  // The bell item is the recipient's own too.
  std::string bell_id(bell_items(second.token).at(0).at("id").as_string());
  EXPECT_EQ(unread_bell(second.token), 1);
  EXPECT_EQ(http().post("/api/v1/notifications/" + bell_id + "/read", "", second.token).status,
            204);
  EXPECT_EQ(unread_bell(second.token), 0);
  EXPECT_EQ(unread_bell(first.token), 2);  // the mail's and the broadcast's
  EXPECT_EQ(http().del("/api/v1/notifications/" + bell_id, bystander.token).status, 404);
  EXPECT_EQ(http().del("/api/v1/notifications/" + bell_id, second.token).status, 204);
  EXPECT_TRUE(bell_items(second.token).empty());
  EXPECT_EQ(bell_items(first.token).size(), 2u);
}

TEST_F(BroadcastsApi, ARecipientsRepliesGoToTheAuthorAloneInOneThread) {
  auto sender = make_account("sender", "sender");
  auto first = make_account("first");
  auto second = make_account("second");
  std::string id = broadcast_ok(sender.token, simple({user(first.id), user(second.id)}));

  std::string reply1 = send_ok(first.token, {{"reply_to", id}, {"body", "Is the canteen open?"}});
  std::string reply2 = send_ok(first.token, {{"reply_to", id}, {"body", "And the library?"}});
  std::string other = send_ok(second.token, {{"reply_to", id}, {"body", "Thanks"}});
  // Anyone else named, or the author replying to their own broadcast, is refused.
  EXPECT_EQ(
      send(first.token, {{"reply_to", id}, {"to", list({user(second.id)})}, {"body", "x"}}).status,
      400);
  EXPECT_EQ(
      send(first.token, {{"reply_to", id}, {"cc", list({user(second.id)})}, {"body", "x"}}).status,
      400);
  EXPECT_EQ(send(sender.token, {{"reply_to", id}, {"body", "x"}}).status, 400);

  auto first_reply = message(first.token, reply1);
  EXPECT_EQ(first_reply.at("subject"), "Re: Snow day");
  // The author has both of first's replies in one thread, and second's in another.
  auto thread1 = message(sender.token, reply1);
  auto thread2 = message(sender.token, other);
  EXPECT_EQ(thread1.at("thread").as_array().size(), 2u) << json_text(thread1);
  EXPECT_EQ(thread2.at("thread").as_array().size(), 1u) << json_text(thread2);
  EXPECT_EQ(folder_ids(sender.token, "inbox"), (Ids{other, reply2, reply1}));
  // Second never sees first's replies.
  EXPECT_EQ(folder_ids(second.token, "inbox"), (Ids{id}));
  EXPECT_EQ(status_of(second.token, reply1), 404);

  // The author continues the conversation in the same thread.
  std::string answer = send_ok(sender.token, {{"reply_to", reply2}, {"body", "Both are open."}});
  EXPECT_EQ(message(first.token, answer).at("thread").as_array().size(), 3u);

  auto shown = details(sender.token, id);
  EXPECT_EQ(shown.at("recipient_count").as_int64(), 2);
  EXPECT_EQ(shown.at("replied_count").as_int64(), 2);
  auto row1 = recipient_row(shown, first.id);
  auto row2 = recipient_row(shown, second.id);
  EXPECT_FALSE(row1.at("replied_at").is_null());
  EXPECT_TRUE(row1.at("read_at").is_null());
  EXPECT_EQ(row1.at("reply_thread"), thread1.at("thread_id"));
  EXPECT_EQ(row2.at("reply_thread"), thread2.at("thread_id"));
  EXPECT_NE(row1.at("reply_thread"), row2.at("reply_thread"));
  // The recipient's copy shows that it was replied to.
  EXPECT_TRUE(message(first.token, id).at("replied").as_bool());
}

TEST_F(BroadcastsApi, TheAuthorSeesWhoReadAndWhoRepliedPageByPage) {
  auto sender = make_account("sender", "sender");
  auto other_sender = make_account("other", "sender");
  std::vector<Account> readers;
  Ids to;
  for (int i = 0; i < 5; ++i) {
    readers.push_back(make_account("reader"));
    to.push_back(user(readers.back().id));
  }
  std::string older = broadcast_ok(sender.token, simple(to, "First"));
  std::string id = broadcast_ok(sender.token, simple(to, "Second"));
  ASSERT_EQ(act(readers[0].token, id, "read").status, 204);
  ASSERT_EQ(act(readers[3].token, id, "read").status, 204);
  send_ok(readers[3].token, {{"reply_to", id}, {"body", "ok"}});

  auto listed = http().get("/api/v1/broadcasts", sender.token).json();
  auto items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("id").as_string(), id);
  EXPECT_EQ(items[0].at("recipient_count").as_int64(), 5);
  EXPECT_EQ(items[0].at("read_count").as_int64(), 2);
  EXPECT_EQ(items[0].at("replied_count").as_int64(), 1);
  EXPECT_EQ(items[1].at("id").as_string(), older);
  auto paged = http().get("/api/v1/broadcasts?limit=1", sender.token).json();
  EXPECT_EQ(paged.at("items").as_array().size(), 1u);
  ASSERT_FALSE(paged.at("next_cursor").is_null());
  // Another sender lists their own, and may not look into this one.
  EXPECT_TRUE(
      http().get("/api/v1/broadcasts", other_sender.token).json().at("items").as_array().empty());
  EXPECT_EQ(http().get("/api/v1/broadcasts/" + id, other_sender.token).status, 404);
  EXPECT_EQ(http().get("/api/v1/broadcasts/" + id, readers[0].token).status, 404);
  EXPECT_EQ(http().get("/api/v1/broadcasts/" + id, admin_token_).status, 200);

  auto ids_of = [](const json::object& shown) {
    Ids out;
    for (const auto& row : shown.at("recipients").at("items").as_array())
      out.emplace_back(row.at("user").at("id").as_string());
    return out;
  };
  EXPECT_EQ(ids_of(details(sender.token, id, "?filter=read")), (Ids{readers[0].id, readers[3].id}));
  EXPECT_EQ(ids_of(details(sender.token, id, "?filter=replied")), (Ids{readers[3].id}));
  EXPECT_EQ(ids_of(details(sender.token, id, "?filter=unread")).size(), 3u);
  EXPECT_EQ(http().get("/api/v1/broadcasts/" + id + "?filter=maybe", sender.token).status, 400);
  Ids walked;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto shown =
        details(sender.token, id, "?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& user_id : ids_of(shown)) walked.push_back(user_id);
    const auto& next = shown.at("recipients").at("next_cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  Ids expected;
  for (const auto& reader : readers) expected.push_back(reader.id);
  EXPECT_EQ(walked, expected);
}

TEST_F(BroadcastsApi, RetractionEmptiesEveryInboxLiveAndKeepsTheReplies) {
  auto sender = make_account("sender", "sender");
  auto other_sender = make_account("other", "sender");
  auto first = make_account("first");
  auto second = make_account("second");
  std::string id = broadcast_ok(sender.token, simple({user(first.id), user(second.id)}));
  std::string reply = send_ok(first.token, {{"reply_to", id}, {"body", "Noted"}});
  ASSERT_EQ(act(second.token, id, "read").status, 204);
  WsClient live(server_->port(), "/api/v1/live", {{"Authorization", "Bearer " + first.token}});
  ASSERT_TRUE(live.next_of_type("welcome"));
  EXPECT_EQ(unread_inbox(first.token), 1);

  // Only the author or an admin; anyone else is told there is no such broadcast.
  EXPECT_EQ(http().del("/api/v1/broadcasts/" + id, other_sender.token).status, 404);
  EXPECT_EQ(http().del("/api/v1/broadcasts/" + id, first.token).status, 404);
  ASSERT_EQ(http().del("/api/v1/broadcasts/" + id, sender.token).status, 204);

  auto retracted = live.next_of_type("message.retracted");
  ASSERT_TRUE(retracted);
  EXPECT_EQ(retracted->at("message").at("id").as_string(), id);
  auto counts = live.next_of_type("counts");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("inbox").as_int64(), 0);
  EXPECT_EQ(counts->at("notifications").as_int64(), 0);

  for (const auto* reader : {&first, &second}) {
    EXPECT_EQ(folder(reader->token, "inbox"), (Counts{0, 0}));
    EXPECT_EQ(status_of(reader->token, id), 404);
    EXPECT_TRUE(bell_items(reader->token).empty());
    EXPECT_EQ(unread_bell(reader->token), 0);
  }
  EXPECT_EQ(folder_ids(sender.token, "sent"), (Ids{}));
  EXPECT_TRUE(http().get("/api/v1/broadcasts", sender.token).json().at("items").as_array().empty());
  EXPECT_EQ(http().get("/api/v1/broadcasts/" + id, sender.token).status, 404);
  EXPECT_EQ(http().del("/api/v1/broadcasts/" + id, sender.token).status, 404);
  // Replying now is a clear error; the reply already sent stays with both of them.
  auto late = send(second.token, {{"reply_to", id}, {"body", "too late"}});
  EXPECT_EQ(late.status, 410) << late.body;
  EXPECT_EQ(late.json().at("error").at("code"), "gone");
  EXPECT_EQ(folder_ids(sender.token, "inbox"), (Ids{reply}));
  EXPECT_EQ(message(sender.token, reply).at("body"), "Noted");
  EXPECT_EQ(folder_ids(first.token, "sent"), (Ids{reply}));

  // An admin may retract anyone's broadcast.
  std::string again = broadcast_ok(sender.token, simple({user(first.id)}));
  EXPECT_EQ(http().del("/api/v1/broadcasts/" + again, admin_token_).status, 204);
  EXPECT_EQ(folder(first.token, "inbox"), (Counts{0, 0}));
}

TEST_F(BroadcastsApi, ChannelsChooseWhatIsWritten) {
  auto sender = make_account("sender", "sender");
  auto target = make_account("target");
  auto body = simple({user(target.id)});
  body["channels"] = list({"email"});
  auto sent = broadcast(sender.token, body);
  ASSERT_EQ(sent.status, 201) << sent.body;
  auto summary = sent.json().at("summary").as_object();
  EXPECT_FALSE(summary.contains("inbox"));
  EXPECT_FALSE(summary.contains("push"));
  EXPECT_EQ(summary.at("email").at("no_address").as_int64(), 1);
  // No inbox channel: no inbox copy, no bell item.
  EXPECT_EQ(folder(target.token, "inbox"), (Counts{0, 0}));
  EXPECT_TRUE(bell_items(target.token).empty());
}

}  // namespace
}  // namespace herald::test
