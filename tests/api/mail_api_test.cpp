// Internal mail over HTTP: compose and expansion, drafts, folders, read state, trash and purge,
// bulk actions, replies, forwards, threads, object checks, bad input, and counters that stay
// exact under concurrent writes.
#include <algorithm>
#include <atomic>
#include <ostream>
#include <thread>
#include <vector>

#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

namespace json = boost::json;

struct Counts {
  std::int64_t total = -1;
  std::int64_t unread = -1;
  friend bool operator==(const Counts&, const Counts&) = default;
  friend std::ostream& operator<<(std::ostream& out, const Counts& c) {
    return out << "{total " << c.total << ", unread " << c.unread << "}";
  }
};

using Ids = std::vector<std::string>;

std::string user(const std::string& id) {
  return "user:" + id;
}

std::string group(const std::string& id) {
  return "group:" + id;
}

json::array list(std::initializer_list<std::string> items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

json::array list(const Ids& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

Ids strings(const json::value& array) {
  Ids out;
  for (const auto& item : array.as_array()) out.emplace_back(item.as_string());
  return out;
}

class MailApi : public ApiTest {
 protected:
  static HttpResult send(const std::string& token, const json::object& body) {
    return http().post("/api/v1/messages", json_text(body), token);
  }

  // Sends a mail that must be accepted; returns its id.
  static std::string send_ok(const std::string& token, const json::object& body) {
    auto reply = send(token, body);
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "0";
    return std::string(reply.json().at("id").as_string());
  }

  static json::object message(const std::string& token, const std::string& id) {
    auto reply = http().get("/api/v1/messages/" + id, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    return reply.json().as_object();
  }

  static long status_of(const std::string& token, const std::string& id) {
    return http().get("/api/v1/messages/" + id, token).status;
  }

  // POST /messages/{id}/{verb} (read, unread, trash, restore, send).
  static HttpResult act(const std::string& token, const std::string& id, const std::string& verb) {
    return http().post("/api/v1/messages/" + id + "/" + verb, "", token);
  }

  static HttpResult bulk(const std::string& token, const Ids& ids, const std::string& action) {
    json::object body{{"ids", list(ids)}, {"action", action}};
    return http().post("/api/v1/messages/actions", json_text(body), token);
  }

  static Counts folder(const std::string& token, const std::string& name) {
    auto reply = http().get("/api/v1/folders", token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    auto listing = reply.json();
    for (const auto& item : listing.at("items").as_array()) {
      if (item.at("name").as_string() == name) {
        return {item.at("total").as_int64(), item.at("unread").as_int64()};
      }
    }
    ADD_FAILURE() << "GET /folders lists no folder " << name;
    return {};
  }

  // Every id of a folder page by page, newest first; `filter` is extra query text.
  static Ids folder_ids(const std::string& token, const std::string& name,
                        const std::string& filter = "", int limit = 200) {
    Ids ids;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      std::string path =
          "/api/v1/folders/" + name + "/messages?limit=" + std::to_string(limit) + filter;
      if (!cursor.empty()) path += "&cursor=" + cursor;
      auto reply = http().get(path, token);
      EXPECT_EQ(reply.status, 200) << reply.body;
      if (reply.status != 200) break;
      auto body = reply.json().as_object();
      for (const auto& item : body.at("items").as_array())
        ids.emplace_back(item.at("id").as_string());
      if (body.at("next_cursor").is_null()) break;
      cursor = std::string(body.at("next_cursor").as_string());
    }
    return ids;
  }

  static std::int64_t unread_inbox(const std::string& token) {
    auto me = http().get("/api/v1/me", token);
    EXPECT_EQ(me.status, 200) << me.body;
    return me.json().at("unread").at("inbox").as_int64();
  }

  static void add_member(const std::string& group_id, const std::string& user_id) {
    EXPECT_EQ(http().put("/api/v1/groups/" + group_id + "/members/" + user_id, admin_token_).status,
              204);
  }

  static std::string admin_id() {
    return std::string(
        http().get("/api/v1/me", admin_token_).json().at("user").at("id").as_string());
  }

  static std::string upload(const std::string& token, const std::string& bytes,
                            const std::string& name) {
    auto reply = http().request("POST", "/api/v1/blobs?name=" + name, bytes,
                                {"Authorization: Bearer " + token});
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "missing";
    return std::string(reply.json().at("id").as_string());
  }
};

TEST_F(MailApi, DeliversToToCcAndBccAndReportsEachAddress) {
  Account alice = make_account("alice");
  Account bob = make_account("bob");
  Account carol = make_account("carol");
  Account dave = make_account("dave");
  json::object body{{"to", list({user(bob.id)})},
                    {"cc", list({user(carol.id)})},
                    {"bcc", list({user(dave.id)})},
                    {"subject", "Quarterly numbers"},
                    {"body", "See below."}};
  auto reply = send(alice.token, body);
  ASSERT_EQ(reply.status, 201) << reply.body;
  auto sent = reply.json().as_object();
  std::string id(sent.at("id").as_string());
  EXPECT_EQ(sent.at("recipient_count").as_int64(), 3);
  EXPECT_FALSE(sent.at("message").at("draft").as_bool());
  auto outcomes = sent.at("addresses").as_array();
  ASSERT_EQ(outcomes.size(), 3u);
  Ids expected{user(bob.id), user(carol.id), user(dave.id)};
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].at("address").as_string(), expected[i]);
    EXPECT_EQ(outcomes[i].at("status").as_string(), "delivered");
    EXPECT_EQ(outcomes[i].at("recipients").as_int64(), 1);
  }

  for (const Account* recipient : {&bob, &carol, &dave}) {
    SCOPED_TRACE(recipient->username);
    EXPECT_EQ(folder(recipient->token, "inbox"), (Counts{1, 1}));
    EXPECT_EQ(folder_ids(recipient->token, "inbox"), Ids{id});
    auto raw = http().get("/api/v1/messages/" + id, recipient->token);
    ASSERT_EQ(raw.status, 200) << raw.body;
    auto seen = raw.json().as_object();
    EXPECT_EQ(seen.at("subject").as_string(), "Quarterly numbers");
    EXPECT_EQ(seen.at("body").as_string(), "See below.");
    EXPECT_EQ(seen.at("from").at("id").as_string(), alice.id);
    EXPECT_EQ(seen.at("folder").as_string(), "inbox");
    EXPECT_EQ(seen.at("to").at(0).at("address").as_string(), user(bob.id));
    EXPECT_EQ(seen.at("cc").at(0).at("address").as_string(), user(carol.id));
    // BCC is the author's alone: no recipient, not even the BCC'd one, sees it.
    EXPECT_FALSE(seen.contains("bcc"));
    EXPECT_EQ(raw.body.find('"' + user(dave.id) + '"'), std::string::npos) << raw.body;
  }

  EXPECT_EQ(folder(alice.token, "sent"), (Counts{1, 0}));
  EXPECT_EQ(folder(alice.token, "inbox"), (Counts{0, 0}));
  auto own = message(alice.token, id);
  EXPECT_EQ(own.at("folder").as_string(), "sent");
  ASSERT_TRUE(own.contains("bcc"));
  EXPECT_EQ(own.at("bcc").at(0).at("address").as_string(), user(dave.id));
}

TEST_F(MailApi, GroupsExpandAtSendTime) {
  Account early = make_account("early");
  Account late = make_account("late");
  std::string team = make_group("team");
  add_member(team, early.id);
  std::string before =
      send_ok(admin_token_, {{"to", list({group(team)})}, {"subject", "Before you joined"}});
  add_member(team, late.id);
  std::string after =
      send_ok(admin_token_, {{"to", list({group(team)})}, {"subject", "After you joined"}});

  EXPECT_EQ(folder_ids(early.token, "inbox"), (Ids{after, before}));
  EXPECT_EQ(folder_ids(late.token, "inbox"), Ids{after});
  EXPECT_EQ(status_of(late.token, before), 404);
  EXPECT_EQ(folder(late.token, "inbox"), (Counts{1, 1}));

  // Leaving the group afterwards takes nothing away.
  ASSERT_EQ(http().del("/api/v1/groups/" + team + "/members/" + early.id, admin_token_).status,
            204);
  EXPECT_EQ(status_of(early.token, before), 200);
  EXPECT_EQ(message(early.token, before).at("to").at(0).at("address").as_string(), group(team));
}

TEST_F(MailApi, ARecipientReachedTwiceGetsOneCopy) {
  Account bob = make_account("bob");
  std::string carol = make_user("carol");
  std::string club = make_group("club");
  add_member(club, bob.id);
  add_member(club, carol);
  auto reply = send(admin_token_, {{"to", list({user(bob.id), user(bob.id)})},
                                   {"cc", list({group(club)})},
                                   {"subject", "Once only"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  auto sent = reply.json().as_object();
  EXPECT_EQ(sent.at("recipient_count").as_int64(), 2);
  auto outcomes = sent.at("addresses").as_array();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].at("address").as_string(), user(bob.id));
  EXPECT_EQ(outcomes[1].at("address").as_string(), group(club));
  EXPECT_EQ(outcomes[1].at("recipients").as_int64(), 2);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));
  EXPECT_EQ(folder_ids(bob.token, "inbox"), Ids{std::string(sent.at("id").as_string())});
  EXPECT_EQ(unread_inbox(bob.token), 1);
}

TEST_F(MailApi, TheAuthorGetsNoCopyThroughAGroupUnlessAddressedDirectly) {
  Account alice = make_account("alice");
  std::string bob = make_user("bob");
  std::string staff = make_group("staff");
  add_member(staff, alice.id);
  add_member(staff, bob);

  auto reply = send(alice.token, {{"to", list({group(staff)})}, {"subject", "Staff meeting"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.json().at("recipient_count").as_int64(), 1);
  EXPECT_EQ(reply.json().at("addresses").at(0).at("recipients").as_int64(), 1);
  EXPECT_EQ(folder(alice.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(folder(alice.token, "sent"), (Counts{1, 0}));

  std::string minutes = send_ok(
      alice.token,
      {{"to", list({group(staff)})}, {"cc", list({user(alice.id)})}, {"subject", "Minutes"}});
  EXPECT_EQ(folder_ids(alice.token, "inbox"), Ids{minutes});
  EXPECT_EQ(message(alice.token, minutes).at("folder").as_string(), "inbox");

  // A group of no one but the author reaches nobody, and the reply says so.
  std::string solo = make_group("solo");
  add_member(solo, alice.id);
  auto partly = send(
      alice.token, {{"to", list({group(solo)})}, {"cc", list({user(bob)})}, {"subject", "Hello"}});
  ASSERT_EQ(partly.status, 201) << partly.body;
  auto outcomes = partly.json().at("addresses").as_array();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].at("status").as_string(), "empty");
  EXPECT_EQ(outcomes[0].at("recipients").as_int64(), 0);
  EXPECT_FALSE(outcomes[0].at("reason").as_string().empty());
  EXPECT_EQ(outcomes[1].at("status").as_string(), "delivered");
  auto nobody = send(alice.token, {{"to", list({group(solo)})}, {"subject", "Echo"}});
  EXPECT_EQ(nobody.status, 400) << nobody.body;
  EXPECT_EQ(folder(alice.token, "sent"), (Counts{3, 0}));
}

TEST_F(MailApi, BodiesAreRenderedToSafeHtml) {
  std::string reader = make_user("reader");
  std::string markdown =
      "Hello **team**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
      "[click](javascript:alert(3))";
  std::string id = send_ok(
      admin_token_, {{"to", list({user(reader)})}, {"subject", "Markup"}, {"body", markdown}});
  auto seen = message(admin_token_, id);
  std::string html(seen.at("body_html").as_string());
  EXPECT_NE(html.find("<strong>team</strong>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(seen.at("body").as_string(), markdown);  // the source is kept as written

  std::string text = "<b>plain</b> **not bold**";
  std::string plain = send_ok(
      admin_token_,
      {{"to", list({user(reader)})}, {"subject", "Text"}, {"body", text}, {"format", "text"}});
  std::string plain_html(message(admin_token_, plain).at("body_html").as_string());
  EXPECT_NE(plain_html.find("&lt;b&gt;plain&lt;/b&gt;"), std::string::npos) << plain_html;
  EXPECT_NE(plain_html.find("**not bold**"), std::string::npos) << plain_html;
  EXPECT_EQ(plain_html.find("<b>"), std::string::npos) << plain_html;
}

TEST_F(MailApi, DraftsAreSavedEditedSentAndDiscarded) {
  Account alice = make_account("alice");
  Account bob = make_account("bob");
  auto saved = send(alice.token, {{"to", list({user(bob.id)})},
                                  {"subject", "Draft one"},
                                  {"body", "first words"},
                                  {"draft", true}});
  ASSERT_EQ(saved.status, 201) << saved.body;
  std::string id(saved.json().at("id").as_string());
  EXPECT_TRUE(saved.json().at("message").at("draft").as_bool());
  EXPECT_EQ(saved.json().at("recipient_count").as_int64(), 0);
  EXPECT_EQ(folder(alice.token, "drafts"), (Counts{1, 0}));
  EXPECT_EQ(folder_ids(alice.token, "drafts"), Ids{id});
  EXPECT_EQ(folder(alice.token, "sent"), (Counts{0, 0}));
  EXPECT_TRUE(message(alice.token, id).at("draft").as_bool());

  // Nobody else sees or touches it.
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{0, 0}));
  EXPECT_EQ(status_of(bob.token, id), 404);
  EXPECT_EQ(http().patch("/api/v1/messages/" + id, R"({"subject":"hijack"})", bob.token).status,
            404);
  EXPECT_EQ(act(bob.token, id, "send").status, 404);
  EXPECT_EQ(http().del("/api/v1/messages/" + id, bob.token).status, 404);

  auto edited = http().patch("/api/v1/messages/" + id,
                             R"({"subject":"Final plan","body":"**done**"})", alice.token);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().at("subject").as_string(), "Final plan");
  EXPECT_NE(std::string(edited.json().at("body_html").as_string()).find("<strong>done</strong>"),
            std::string::npos);
  EXPECT_EQ(strings(edited.json().at("to")), Ids{user(bob.id)});  // untouched fields stay

  auto delivered = act(alice.token, id, "send");
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  EXPECT_EQ(delivered.json().at("recipient_count").as_int64(), 1);
  EXPECT_FALSE(delivered.json().at("message").at("draft").as_bool());
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));
  auto received = message(bob.token, id);
  EXPECT_EQ(received.at("subject").as_string(), "Final plan");
  EXPECT_EQ(received.at("body").as_string(), "**done**");
  EXPECT_FALSE(received.at("draft").as_bool());
  EXPECT_EQ(folder(alice.token, "drafts"), (Counts{0, 0}));
  EXPECT_EQ(folder(alice.token, "sent"), (Counts{1, 0}));
  // Sent is sent: no more edits, no second delivery.
  EXPECT_EQ(http().patch("/api/v1/messages/" + id, R"({"subject":"again"})", alice.token).status,
            404);
  EXPECT_EQ(act(alice.token, id, "send").status, 404);
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));

  // A draft without recipients may be kept, not sent.
  std::string empty = send_ok(alice.token, {{"subject", "Someday"}, {"draft", true}});
  EXPECT_EQ(act(alice.token, empty, "send").status, 400);
  EXPECT_TRUE(message(alice.token, empty).at("draft").as_bool());

  // Discarding.
  std::string other = send_ok(
      alice.token, {{"to", list({user(bob.id)})}, {"subject", "Never mind"}, {"draft", true}});
  EXPECT_EQ(folder(alice.token, "drafts"), (Counts{2, 0}));
  EXPECT_EQ(http().del("/api/v1/messages/" + other, alice.token).status, 204);
  EXPECT_EQ(status_of(alice.token, other), 404);
  EXPECT_EQ(act(alice.token, other, "send").status, 404);
  EXPECT_EQ(folder(alice.token, "drafts"), (Counts{1, 0}));
  EXPECT_EQ(folder(bob.token, "inbox"), (Counts{1, 1}));
}

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
