// Mail: addresses, group expansion, copies, safe HTML, drafts.
#include "mail_fixture.hpp"

namespace herald::test {
namespace {

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

// A send of a few users with a short body is checked on the I/O thread that read it; a long
// body, a group or many addresses on a worker. Each way gives the same answers.
TEST_F(MailApi, ASendIsTheSameWhereverItIsChecked) {
  Account author = make_account("placed");
  Account reader = make_account("placed-reader");
  std::string crew = make_group("placed-crew");
  add_member(crew, reader.id);
  std::string long_body(20000, 'x');
  struct Case {
    const char* name;
    json::object body;
  };
  std::vector<Case> cases{
      {"a user, a short body", {{"to", list({user(reader.id)})}, {"body", "short"}}},
      {"a user, a long body", {{"to", list({user(reader.id)})}, {"body", long_body}}},
      {"a group", {{"to", list({group(crew)})}, {"body", "to the crew"}}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    json::object body = c.body;
    body["subject"] = c.name;
    std::string id = send_ok(author.token, body);
    auto seen = message(reader.token, id);
    EXPECT_EQ(seen.at("subject").as_string(), c.name);
    EXPECT_EQ(seen.at("body").as_string(), c.body.at("body").as_string());
  }
  EXPECT_EQ(folder(reader.token, "inbox"), (Counts{3, 3}));

  std::string unknown = user("999999");
  for (const std::string& text :
       {std::string("{\"to\":["), "{\"to\":[\"" + unknown + "\"],\"body\":\"" + long_body + "\"}",
        "{\"to\":[\"" + unknown + "\"],\"body\":\"short\"}"}) {
    auto reply = http().post("/api/v1/messages", text, author.token);
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_TRUE(reply.json().at("error").at("code").is_string()) << reply.body;
  }
  EXPECT_EQ(folder(author.token, "sent"), (Counts{3, 0}));
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

TEST_F(MailApi, APreviewRendersTheBodyAsASendWould) {
  std::string body =
      R"json({"body":"Hello **team** <script>alert(1)</script> [x](javascript:alert(2))"})json";
  auto preview = http().post("/api/v1/preview", body, admin_token_);
  ASSERT_EQ(preview.status, 200) << preview.body;
  std::string html(preview.json().at("html").as_string());
  EXPECT_NE(html.find("<strong>team</strong>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  auto text = http().post("/api/v1/preview", R"({"body":"**x**","format":"text"})", admin_token_);
  EXPECT_EQ(text.json().at("html").as_string().find("<strong>"), std::string::npos);
  EXPECT_EQ(http().post("/api/v1/preview", R"({"body":"x","to":[]})", admin_token_).status, 400);
  EXPECT_EQ(http().post("/api/v1/preview", R"({"body":"x"})", "").status, 401);
  std::string big = R"({"body":")" + std::string(1024 * 1024 + 1, 'a') + R"("})";
  EXPECT_EQ(http().post("/api/v1/preview", big, admin_token_).status, 413);
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

}  // namespace
}  // namespace herald::test
