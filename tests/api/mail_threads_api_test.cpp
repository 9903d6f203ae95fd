// Mail: replies, forwards, threads, access by others, bad input, limits, concurrency.
#include "mail_fixture.hpp"

namespace herald::test {
namespace {

TEST_F(MailApi, RepliesStayInTheThreadAndMarkTheCopyReplied) {
  Account alice = make_account("alice");
  Account bob = make_account("bob");
  Account carol = make_account("carol");
  std::string original = send_ok(alice.token, {{"to", list({user(bob.id)})},
                                               {"cc", list({user(carol.id)})},
                                               {"subject", "Plans"},
                                               {"body", "Friday?"}});
  auto by_author = message(alice.token, original);
  std::string thread(by_author.at("thread_id").as_string());
  EXPECT_EQ(strings(message(bob.token, original).at("reply_all")),
            (Ids{user(alice.id), user(carol.id)}));
  EXPECT_EQ(strings(message(carol.token, original).at("reply_all")),
            (Ids{user(alice.id), user(bob.id)}));

  auto reply = send(bob.token, {{"reply_to", original}, {"body", "Friday works."}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  auto written = reply.json().at("message").as_object();
  std::string answer(reply.json().at("id").as_string());
  EXPECT_EQ(written.at("thread_id").as_string(), thread);
  EXPECT_EQ(written.at("parent_id").as_string(), original);
  EXPECT_EQ(written.at("subject").as_string(), "Re: Plans");
  EXPECT_EQ(strings(written.at("to")), Ids{user(alice.id)});
  EXPECT_EQ(reply.json().at("recipient_count").as_int64(), 1);

  EXPECT_EQ(folder_ids(alice.token, "inbox"), Ids{answer});
  EXPECT_EQ(folder(carol.token, "inbox"), (Counts{1, 1}));  // only the original
  EXPECT_TRUE(message(bob.token, original).at("replied").as_bool());
  EXPECT_FALSE(message(carol.token, original).at("replied").as_bool());
  EXPECT_FALSE(message(alice.token, original).at("replied").as_bool());

  // A reply to a reply keeps one "Re: " and the thread.
  auto again = send(alice.token, {{"reply_to", answer}, {"body", "Great."}});
  ASSERT_EQ(again.status, 201) << again.body;
  std::string third(again.json().at("id").as_string());
  EXPECT_EQ(again.json().at("message").at("subject").as_string(), "Re: Plans");
  EXPECT_EQ(again.json().at("message").at("thread_id").as_string(), thread);
  EXPECT_EQ(strings(again.json().at("message").at("to")), Ids{user(bob.id)});
  EXPECT_TRUE(message(alice.token, answer).at("replied").as_bool());

  // Each caller's thread lists the messages they hold, oldest first.
  auto thread_ids = [](const json::object& view) {
    Ids ids;
    for (const auto& item : view.at("thread").as_array())
      ids.emplace_back(item.at("id").as_string());
    return ids;
  };
  EXPECT_EQ(thread_ids(message(alice.token, third)), (Ids{original, answer, third}));
  EXPECT_EQ(thread_ids(message(bob.token, answer)), (Ids{original, answer, third}));
  EXPECT_EQ(thread_ids(message(carol.token, original)), Ids{original});

  // Reply-all with the list the server offered.
  json::object all{{"reply_to", original},
                   {"to", message(carol.token, original).at("reply_all")},
                   {"body", "Count me in."}};
  auto reply_all = send(carol.token, all);
  ASSERT_EQ(reply_all.status, 201) << reply_all.body;
  EXPECT_EQ(reply_all.json().at("recipient_count").as_int64(), 2);
  EXPECT_EQ(folder(carol.token, "inbox"), (Counts{1, 1}));
  EXPECT_TRUE(message(carol.token, original).at("replied").as_bool());
}

TEST_F(MailApi, ForwardsCarryTheAttachments) {
  Account bob = make_account("bob");
  Account carol = make_account("carol");
  std::string content = "Agenda: 1. budget 2. " + unique("item");
  std::string blob = upload(admin_token_, content, "agenda.txt");
  std::string original = send_ok(admin_token_, {{"to", list({user(bob.id)})},
                                                {"subject", "Agenda"},
                                                {"body", "Attached."},
                                                {"attachments", list({blob})}});
  EXPECT_EQ(http().get("/api/v1/blobs/" + blob, carol.token).status, 404);

  auto forward = send(bob.token, {{"forward_of", original}, {"to", list({user(carol.id)})}});
  ASSERT_EQ(forward.status, 201) << forward.body;
  std::string id(forward.json().at("id").as_string());
  EXPECT_EQ(forward.json().at("message").at("subject").as_string(), "Fwd: Agenda");
  EXPECT_EQ(forward.json().at("message").at("parent_id").as_string(), original);

  auto seen = message(carol.token, id);
  ASSERT_EQ(seen.at("attachments").as_array().size(), 1u);
  EXPECT_EQ(seen.at("attachments").at(0).at("id").as_string(), blob);
  EXPECT_EQ(seen.at("attachments").at(0).at("name").as_string(), "agenda.txt");
  EXPECT_EQ(seen.at("attachments").at(0).at("size").as_int64(),
            static_cast<std::int64_t>(content.size()));
  auto listing = http().get("/api/v1/folders/inbox/messages", carol.token).json();
  EXPECT_TRUE(listing.at("items").at(0).at("has_attachments").as_bool());
  auto download = http().get("/api/v1/blobs/" + blob, carol.token);
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, content);
}

TEST_F(MailApi, OtherUsersMessagesAreNotFound) {
  Account alice = make_account("alice");
  Account mallory = make_account("mallory");
  std::string bob = make_user("bob");
  std::string mail = send_ok(alice.token, {{"to", list({user(bob)})}, {"subject", "Private"}});
  std::string draft = send_ok(
      alice.token, {{"to", list({user(bob)})}, {"subject", "Secret draft"}, {"draft", true}});

  for (const auto& id : {mail, draft}) {
    SCOPED_TRACE(id);
    auto read = http().get("/api/v1/messages/" + id, mallory.token);
    EXPECT_EQ(read.status, 404);
    EXPECT_EQ(read.error_code(), "not_found");
    for (const char* verb : {"read", "unread", "trash", "restore", "send"}) {
      EXPECT_EQ(act(mallory.token, id, verb).status, 404) << verb;
    }
    EXPECT_EQ(http().del("/api/v1/messages/" + id, mallory.token).status, 404);
    EXPECT_EQ(bulk(mallory.token, {id}, "trash").status, 404);
    EXPECT_EQ(send(mallory.token, {{"reply_to", id}, {"body", "me too"}}).status, 404);
    EXPECT_EQ(send(mallory.token, {{"forward_of", id}, {"to", list({user(mallory.id)})}}).status,
              404);
  }
  EXPECT_EQ(
      http().patch("/api/v1/messages/" + draft, R"({"subject":"mine now"})", mallory.token).status,
      404);

  // Alice's copies are as she left them; mallory has nothing.
  EXPECT_EQ(message(alice.token, draft).at("subject").as_string(), "Secret draft");
  EXPECT_EQ(folder(alice.token, "drafts"), (Counts{1, 0}));
  EXPECT_EQ(message(alice.token, mail).at("folder").as_string(), "sent");
  EXPECT_EQ(folder(mallory.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(folder(mallory.token, "sent"), (Counts{0, 0}));

  for (const char* id : {"0", "-1", "abc", "01", "99999999"}) {
    EXPECT_EQ(http().get(std::string("/api/v1/messages/") + id, alice.token).status, 404) << id;
  }
  EXPECT_EQ(http().get("/api/v1/messages/" + mail, "").status, 401);
}

TEST_F(MailApi, BadInputIsRefusedAndWritesNothing) {
  Account alice = make_account("alice");
  Account bob = make_account("bob");
  std::string theirs = upload(admin_token_, "not alice's " + unique("blob"), "theirs.txt");
  std::string gone = make_user("gone");
  ASSERT_EQ(http().del("/api/v1/users/" + gone, admin_token_).status, 204);
  std::string to_bob = R"("to":[")" + user(bob.id) + R"("])";
  const std::vector<std::string> bodies = {
      R"({"to":["user:999999"],"subject":"x"})",
      R"({"to":[")" + user(gone) + R"("],"subject":"x"})",
      R"({"to":["group:999999"],"subject":"x"})",
      R"({"to":["bob"],"subject":"x"})",
      R"({"to":["user:"],"subject":"x"})",
      R"({"to":["device:1"],"subject":"x"})",
      R"({"subject":"no one"})",
      R"({"to":[],"cc":[],"bcc":[],"subject":"no one"})",
      "{" + to_bob + R"(,"subject":")" + std::string(999, 's') + R"("})",
      "{" + to_bob + R"(,"subject":"line\nbreak"})",
      "{" + to_bob + R"(,"subject":"carriage\rreturn"})",
      "{" + to_bob + R"(,"subject":"x","priority":"high"})",
      "{" + to_bob + R"(,"subject":"x","attachments":[")" + theirs + R"("]})",
      "{" + to_bob + R"(,"subject":"x","attachments":["no-such-blob"]})",
      "{" + to_bob + R"(,"subject":"x","attachments":"x"})",
      "{" + to_bob + R"(,"subject":"x","draft":"yes"})",
      "{" + to_bob + R"(,"subject":"x","format":"html"})",
      "{" + to_bob + R"(,"subject":42})",
      "{" + to_bob + R"(,"reply_to":"1","forward_of":"1"})",
      R"({"to":"user:1","subject":"x"})",
      R"({"to":[1],"subject":"x"})",
      "{" + to_bob + ",\"subject\":\"bad\xFF\"}",
      "not json",
      "[]",
      ""};
  for (const auto& body : bodies) {
    auto reply = http().post("/api/v1/messages", body, alice.token);
    EXPECT_EQ(reply.status, 400) << body << " -> " << reply.body;
    EXPECT_EQ(reply.error_code(), "bad_request") << body;
  }
  auto everyone =
      http().post("/api/v1/messages", R"({"to":["all"],"subject":"Hi all"})", alice.token);
  EXPECT_EQ(everyone.status, 403);
  EXPECT_EQ(everyone.error_code(), "forbidden");

  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(folder(alice.token, "sent"), (Counts{0, 0}));
  EXPECT_EQ(folder(alice.token, "drafts"), (Counts{0, 0}));

  // The longest subject that still fits an email header line is fine.
  std::string longest(998, 's');
  auto fits = send(alice.token, {{"to", list({user(bob.id)})}, {"subject", longest}});
  EXPECT_EQ(fits.status, 201) << fits.body;
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));
}

TEST_F(MailApi, BodiesOverTheConfiguredLimitAre413) {
  TempDir dir;
  HeraldProcess server(dir.path(), {"--max-mail-body", "1000"});
  HttpClient client(server.base_url());
  std::string admin = client.login("admin", kAdminPassword);
  auto created = client.post("/api/v1/users", R"({"username":"reader"})", admin);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string reader(created.json().at("id").as_string());
  auto compose = [&](const std::string& body, bool draft) {
    json::object message{
        {"to", list({user(reader)})}, {"subject", "Sized"}, {"body", body}, {"draft", draft}};
    return client.post("/api/v1/messages", json_text(message), admin);
  };

  auto over = compose(std::string(1001, 'a'), false);
  EXPECT_EQ(over.status, 413) << over.body;
  EXPECT_EQ(over.error_code(), "too_large");
  EXPECT_EQ(compose(std::string(1001, 'a'), true).status, 413);
  EXPECT_EQ(compose(std::string(1000, 'a'), false).status, 201);

  auto draft = compose("short", true);
  ASSERT_EQ(draft.status, 201) << draft.body;
  std::string id(draft.json().at("id").as_string());
  json::object grown{{"body", std::string(1001, 'b')}};
  EXPECT_EQ(client.patch("/api/v1/messages/" + id, json_text(grown), admin).status, 413);
  EXPECT_EQ(client.get("/api/v1/messages/" + id, admin).json().at("body").as_string(), "short");

  auto folders = client.get("/api/v1/folders", admin).json();
  for (const auto& item : folders.at("items").as_array()) {
    if (item.at("name").as_string() == "sent" || item.at("name").as_string() == "drafts") {
      EXPECT_EQ(item.at("total").as_int64(), 1) << item.at("name").as_string();
    }
  }
}

TEST_F(MailApi, UnreadCountsStayExactUnderConcurrentSendsAndFlips) {
  Account reader = make_account("reader");
  constexpr int kSenders = 4;
  constexpr int kEach = 15;
  std::atomic<int> senders_left{kSenders};
  std::atomic<int> failed_sends{0};
  std::atomic<int> failed_flips{0};
  std::atomic<int> flips{0};
  json::object body{{"to", list({user(reader.id)})}, {"subject", "Busy"}, {"body", "tick"}};

  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        if (http().post("/api/v1/messages", json_text(body), admin_token_).status != 201) {
          ++failed_sends;
        }
      }
      --senders_left;
    });
  }
  std::thread flipper([&] {
    // Flips what it sees, one by one and in bulk, until the senders are done, then once more.
    for (int round = 0;; ++round) {
      bool last = senders_left.load() == 0;
      auto page = http().get("/api/v1/folders/inbox/messages?limit=200", reader.token);
      if (page.status != 200) {
        ++failed_flips;
        break;
      }
      Ids ids;
      auto listing = page.json();
      for (const auto& item : listing.at("items").as_array()) {
        ids.emplace_back(item.at("id").as_string());
      }
      Ids batch;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        bool to_read = (i + static_cast<std::size_t>(round)) % 3 != 0;
        if (i % 2 == 0) {
          auto reply = act(reader.token, ids[i], to_read ? "read" : "unread");
          if (reply.status != 204) ++failed_flips;
          ++flips;
        } else {
          batch.push_back(ids[i]);
        }
      }
      if (!batch.empty()) {
        if (bulk(reader.token, batch, round % 2 == 0 ? "unread" : "read").status != 204) {
          ++failed_flips;
        }
        ++flips;
      }
      if (last) break;
    }
  });
  for (auto& sender : senders) sender.join();
  flipper.join();
  EXPECT_EQ(failed_sends.load(), 0);
  EXPECT_EQ(failed_flips.load(), 0);
  EXPECT_GT(flips.load(), 0);

  Ids all = folder_ids(reader.token, "inbox", "", 7);
  Ids unread = folder_ids(reader.token, "inbox", "&unread=true", 7);
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kSenders * kEach));
  Counts counted{static_cast<std::int64_t>(all.size()), static_cast<std::int64_t>(unread.size())};
  EXPECT_EQ(folder(reader.token, "inbox"), counted);
  EXPECT_EQ(unread_inbox(reader.token), counted.unread);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::unique(all.begin(), all.end()), all.end()) << "a message was listed twice";
}

}  // namespace
}  // namespace herald::test
