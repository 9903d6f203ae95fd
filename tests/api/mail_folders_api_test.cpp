// Mail: folders, pages, read state, trash, restore, purge, bulk actions.
#include "mail_fixture.hpp"

namespace herald::test {
namespace {

TEST_F(MailApi, FoldersPageNewestFirstAndFilter) {
  Account bob = make_account("bob");
  Ids sent;
  for (int i = 0; i < 5; ++i) {
    sent.push_back(send_ok(admin_token_, {{"to", list({user(bob.id)})},
                                          {"subject", "Item " + std::to_string(i)},
                                          {"body", "Body of item " + std::to_string(i)}}));
  }
  std::string from = admin_id();

  Ids seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string path = "/api/v1/folders/inbox/messages?limit=2";
    if (!cursor.empty()) path += "&cursor=" + cursor;
    auto reply = http().get(path, bob.token);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto body = reply.json().as_object();
    EXPECT_LE(body.at("items").as_array().size(), 2u);
    for (const auto& item : body.at("items").as_array()) {
      seen.emplace_back(item.at("id").as_string());
      EXPECT_EQ(item.at("folder").as_string(), "inbox");
      EXPECT_EQ(item.at("kind").as_string(), "mail");
      EXPECT_FALSE(item.at("read").as_bool());
      EXPECT_EQ(item.at("from").at("id").as_string(), from);
    }
    if (pages == 0) {
      EXPECT_EQ(body.at("items").at(0).at("subject").as_string(), "Item 4");
      EXPECT_EQ(body.at("items").at(0).at("snippet").as_string(), "Body of item 4");
    }
    cursor =
        body.at("next_cursor").is_null() ? "" : std::string(body.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen, (Ids{sent[4], sent[3], sent[2], sent[1], sent[0]}));
  EXPECT_EQ(pages, 3);

  auto folders = http().get("/api/v1/folders", bob.token);
  ASSERT_EQ(folders.status, 200);
  Ids names;
  auto listing = folders.json();
  for (const auto& item : listing.at("items").as_array()) {
    names.emplace_back(item.at("name").as_string());
  }
  EXPECT_EQ(names, (Ids{"inbox", "sent", "drafts", "trash"}));
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{5, 5}));

  ASSERT_EQ(act(bob.token, sent[0], "read").status, 204);
  ASSERT_EQ(act(bob.token, sent[3], "read").status, 204);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{5, 3}));
  EXPECT_EQ(folder_ids(bob.token, "inbox", "&unread=true"), (Ids{sent[4], sent[2], sent[1]}));
  EXPECT_EQ(folder_ids(bob.token, "inbox", "&unread=true", 2), (Ids{sent[4], sent[2], sent[1]}));
  EXPECT_EQ(folder_ids(bob.token, "inbox", "&unread=false").size(), 5u);
  EXPECT_EQ(folder_ids(bob.token, "inbox", "&kind=mail").size(), 5u);
  EXPECT_TRUE(folder_ids(bob.token, "inbox", "&kind=broadcast").empty());
  EXPECT_TRUE(folder_ids(bob.token, "sent").empty());

  std::string base = "/api/v1/folders/inbox/messages";
  EXPECT_EQ(http().get(base + "?kind=memo", bob.token).status, 400);
  EXPECT_EQ(http().get(base + "?unread=yes", bob.token).status, 400);
  EXPECT_EQ(http().get(base + "?cursor=garbage", bob.token).status, 400);
  EXPECT_EQ(http().get(base + "?limit=0", bob.token).status, 400);
  auto unknown = http().get("/api/v1/folders/spam/messages", bob.token);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_code(), "not_found");
  EXPECT_EQ(http().get("/api/v1/folders", "").status, 401);
}

TEST_F(MailApi, SentAndDraftEntriesSayWhomTheyAreFor) {
  Account ann = make_account("ann");
  Account cy = make_account("cy");
  std::string club = make_group("club");
  ASSERT_EQ(http().put("/api/v1/groups/" + club + "/members/" + cy.id, admin_token_).status, 204);
  send_ok(ann.token, {{"to", list({user(cy.id), group(club)})}, {"subject", "For two"}});
  send_ok(ann.token, {{"to", list({user(cy.id)})}, {"subject", "Draft"}, {"draft", true}});

  auto sent = http().get("/api/v1/folders/sent/messages", ann.token).json();
  const auto& to = sent.at("items").at(0).at("to").as_array();
  ASSERT_EQ(to.size(), 2u);
  EXPECT_EQ(to.at(0).at("address").as_string(), user(cy.id));
  EXPECT_EQ(to.at(0).at("name").as_string(), cy.username);  // the display name, by default
  EXPECT_EQ(to.at(1).at("address").as_string(), group(club));
  EXPECT_EQ(to.at(1).at("name").as_string().find("club"), 0u);
  auto drafts = http().get("/api/v1/folders/drafts/messages", ann.token).json();
  EXPECT_EQ(drafts.at("items").at(0).at("to").at(0).at("address").as_string(), user(cy.id));
  // The inbox lists senders, not recipients.
  auto inbox = http().get("/api/v1/folders/inbox/messages", cy.token).json();
  EXPECT_FALSE(inbox.at("items").at(0).as_object().contains("to"));
}

TEST_F(MailApi, ReadingDoesNotMarkReadButReadAndUnreadDo) {
  Account bob = make_account("bob");
  std::string id =
      send_ok(admin_token_, {{"to", list({user(bob.id)})}, {"subject", "Please read"}});
  EXPECT_EQ(unread_inbox(bob.token), 1);
  EXPECT_FALSE(message(bob.token, id).at("read").as_bool());
  EXPECT_FALSE(message(bob.token, id).at("read").as_bool());
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));
  EXPECT_EQ(unread_inbox(bob.token), 1);

  EXPECT_EQ(act(bob.token, id, "read").status, 204);
  EXPECT_TRUE(message(bob.token, id).at("read").as_bool());
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 0}));
  EXPECT_EQ(unread_inbox(bob.token), 0);
  EXPECT_EQ(act(bob.token, id, "read").status, 204);  // twice is once
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 0}));

  EXPECT_EQ(act(bob.token, id, "unread").status, 204);
  EXPECT_FALSE(message(bob.token, id).at("read").as_bool());
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));
  EXPECT_EQ(unread_inbox(bob.token), 1);
  EXPECT_EQ(act(bob.token, id, "unread").status, 204);
  EXPECT_EQ(unread_inbox(bob.token), 1);

  send_ok(admin_token_, {{"to", list({user(bob.id)})}, {"subject", "And this"}});
  EXPECT_EQ(unread_inbox(bob.token), 2);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{2, 2}));
}

TEST_F(MailApi, TrashRestoreAndPurgeActOnOneCopy) {
  Account bob = make_account("bob");
  Account carol = make_account("carol");
  std::string id = send_ok(admin_token_,
                           {{"to", list({user(bob.id), user(carol.id)})}, {"subject", "Old news"}});

  ASSERT_EQ(act(bob.token, id, "trash").status, 204);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{1, 1}));
  EXPECT_EQ(unread_inbox(bob.token), 0);
  EXPECT_EQ(folder_ids(bob.token, "trash"), Ids{id});
  EXPECT_EQ(message(bob.token, id).at("folder").as_string(), "trash");
  // Others' copies stay where they were.
  EXPECT_EQ(folder(carol.token, "inbox"), (Counts{1, 1}));
  EXPECT_EQ(message(carol.token, id).at("folder").as_string(), "inbox");
  EXPECT_EQ(message(admin_token_, id).at("folder").as_string(), "sent");

  ASSERT_EQ(act(bob.token, id, "restore").status, 204);
  EXPECT_EQ(message(bob.token, id).at("folder").as_string(), "inbox");
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{0, 0}));

  auto refused = http().del("/api/v1/messages/" + id, bob.token);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.error_code(), "conflict");
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));

  ASSERT_EQ(act(bob.token, id, "trash").status, 204);
  EXPECT_EQ(http().del("/api/v1/messages/" + id, bob.token).status, 204);
  EXPECT_EQ(status_of(bob.token, id), 404);
  EXPECT_EQ(act(bob.token, id, "restore").status, 404);
  EXPECT_EQ(http().del("/api/v1/messages/" + id, bob.token).status, 404);
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{0, 0}));
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(status_of(carol.token, id), 200);

  // The author's copy goes back to sent, where it came from.
  ASSERT_EQ(act(admin_token_, id, "trash").status, 204);
  EXPECT_EQ(message(admin_token_, id).at("folder").as_string(), "trash");
  ASSERT_EQ(act(admin_token_, id, "restore").status, 204);
  EXPECT_EQ(message(admin_token_, id).at("folder").as_string(), "sent");
}

TEST_F(MailApi, BulkActionsAreAllOrNothing) {
  Account bob = make_account("bob");
  Ids mine;
  for (int i = 0; i < 3; ++i) {
    mine.push_back(send_ok(admin_token_, {{"to", list({user(bob.id)})}, {"subject", "Bulk"}}));
  }
  std::string foreign =
      send_ok(admin_token_, {{"to", list({user(make_user("other"))})}, {"subject", "Not bob's"}});

  EXPECT_EQ(bulk(bob.token, mine, "read").status, 204);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{3, 0}));

  auto mixed = bulk(bob.token, {mine[0], foreign}, "unread");
  EXPECT_EQ(mixed.status, 404);
  EXPECT_EQ(mixed.error_code(), "not_found");
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{3, 0}));
  EXPECT_TRUE(message(bob.token, mine[0]).at("read").as_bool());

  EXPECT_EQ(bulk(bob.token, {mine[0], mine[1], foreign}, "trash").status, 404);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{3, 0}));
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{0, 0}));

  EXPECT_EQ(bulk(bob.token, {mine[0], mine[1]}, "trash").status, 204);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 0}));
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{2, 0}));

  // One copy still in the inbox: nothing is purged.
  EXPECT_EQ(bulk(bob.token, mine, "delete").status, 409);
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{2, 0}));
  EXPECT_EQ(status_of(bob.token, mine[0]), 200);

  EXPECT_EQ(bulk(bob.token, {mine[0], foreign}, "restore").status, 404);
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{2, 0}));
  EXPECT_EQ(bulk(bob.token, {mine[0], mine[1], foreign}, "delete").status, 404);
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{2, 0}));
  EXPECT_EQ(status_of(bob.token, mine[1]), 200);

  EXPECT_EQ(bulk(bob.token, {mine[0]}, "restore").status, 204);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{2, 0}));
  // The same id twice (a list that named it twice) acts once.
  EXPECT_EQ(bulk(bob.token, {mine[1], mine[1]}, "delete").status, 204);
  EXPECT_EQ(status_of(bob.token, mine[1]), 404);
  EXPECT_EQ(folder(bob.token, "trash"), (Counts{0, 0}));
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{2, 0}));
  EXPECT_EQ(status_of(admin_token_, foreign), 200);

  std::string path = "/api/v1/messages/actions";
  json::object archive{{"ids", list({mine[0]})}, {"action", "archive"}};
  EXPECT_EQ(http().post(path, json_text(archive), bob.token).status, 400);
  EXPECT_EQ(bulk(bob.token, {}, "read").status, 400);
  EXPECT_EQ(http().post(path, R"({"ids":"1","action":"read"})", bob.token).status, 400);
  json::object no_action{{"ids", list({mine[0]})}};
  EXPECT_EQ(http().post(path, json_text(no_action), bob.token).status, 400);
  json::object extra{{"ids", list({mine[0]})}, {"action", "read"}, {"all", true}};
  EXPECT_EQ(http().post(path, json_text(extra), bob.token).status, 400);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{2, 0}));
}

}  // namespace
}  // namespace herald::test
