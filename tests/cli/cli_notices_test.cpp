// herald notify, herald deliveries and herald bell read|delete against a real server that has no
// SMTP relay and no push platform set up, so every push and email fails and says why. Sending
// through real peers is tested in the delivery tests.
#include <sstream>

#include "support/cli_fixture.hpp"

namespace herald::test {
namespace {

class CliNotices : public CliTest {
 protected:
  // A user who can log in, with an email address when `email` is set.
  static Account make_person(const std::string& stem, bool email) {
    std::string name = unique(stem);
    boost::json::object body{{"username", name}, {"password", "password-123"}};
    if (email) body["email"] = name + "@example.org";
    auto created = http().post("/api/v1/users", json_text(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    std::string id(created.json().at("id").as_string());
    return {id, name, http().login(name, "password-123")};
  }

  // Registers an FCM phone of `owner` through the CLI, logged in as them; returns its id.
  static std::string add_phone(const Account& owner) {
    CliRun added =
        herald("--token " + owner.token + " devices add -p fcm -n Phone -t fcm-" + unique("token"));
    EXPECT_EQ(added.exit_code, 0) << added.output;
    std::string id = added.output.substr(added.output.rfind(' ') + 1);
    id.erase(id.find_last_not_of('\n') + 1);
    return id;
  }

  static std::vector<std::string> lines_of(const std::string& output) {
    std::vector<std::string> lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  // The table row that starts with `first_cell`, or "" (and a failure) when there is none.
  static std::string row_of(const CliRun& run, const std::string& first_cell) {
    for (const auto& line : lines_of(run.output)) {
      if (line.starts_with(first_cell + " ")) return line;
    }
    ADD_FAILURE() << "no row for " << first_cell << " in:\n" << run.output;
    return "";
  }

  // The notice id from "sent notice ID to N recipient(s)".
  static std::string notice_id(const CliRun& run) {
    const std::string prefix = "sent notice ";
    auto at = run.output.find(prefix);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no notice id in:\n" << run.output;
      return "";
    }
    std::string rest = run.output.substr(at + prefix.size());
    return rest.substr(0, rest.find(' '));
  }

  static bool has(const CliRun& run, const std::string& text) {
    return run.output.find(text) != std::string::npos;
  }
};

TEST_F(CliNotices, NotifiesByPushAndEmailAndShowsEachRecipientsOutcome) {
  login_as_admin();
  auto ann = make_person("ann", true);  // an address and a phone
  add_phone(ann);
  auto bob = make_person("bob", false);  // neither
  auto cy = make_person("cy", true);     // an address, no phone

  CliRun sent = herald("notify --to " + ann.username + " " + bob.username + " user:" + cy.id +
                       " --push 'School closes at noon' --url https://school.example/news/1"
                       " --email-subject 'Early closing' --email-body 'We close at **noon**.'");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_TRUE(has(sent, "to 3 recipient(s)")) << sent.output;
  EXPECT_FALSE(notice_id(sent).empty());
  auto lines = lines_of(sent.output);
  ASSERT_GE(lines.size(), 6u) << sent.output;
  EXPECT_TRUE(lines[1].starts_with("RECIPIENT")) << lines[1];
  EXPECT_NE(lines[1].find("PUSH"), std::string::npos);
  EXPECT_NE(lines[1].find("EMAIL"), std::string::npos);

  std::string ann_row = row_of(sent, ann.username);
  EXPECT_NE(ann_row.find("failed (FCM is not configured on this server)"), std::string::npos)
      << ann_row;
  EXPECT_NE(ann_row.find("failed (email is not configured on this server)"), std::string::npos)
      << ann_row;
  std::string bob_row = row_of(sent, bob.username);
  EXPECT_NE(bob_row.find("no_device"), std::string::npos) << bob_row;
  EXPECT_NE(bob_row.find("no_address"), std::string::npos) << bob_row;
  EXPECT_EQ(bob_row.find('('), std::string::npos) << bob_row;  // the status says it all
  std::string cy_row = row_of(sent, cy.username);
  EXPECT_NE(cy_row.find("no_device"), std::string::npos) << cy_row;
  EXPECT_NE(cy_row.find("failed (email is not configured on this server)"), std::string::npos)
      << cy_row;
  EXPECT_EQ(lines.back(), "push: 1 failed, 2 no_device; email: 2 failed, 1 no_address")
      << sent.output;
}

TEST_F(CliNotices, ShowsOnlyTheChannelsUsedAndPrintsTheRawReplyWithJson) {
  login_as_admin();
  auto dee = make_person("dee", true);
  std::string phone = add_phone(dee);
  auto eve = make_person("eve", true);
  std::string staff = unique("staff");
  ASSERT_EQ(herald("groups add " + staff).exit_code, 0);
  ASSERT_EQ(herald("groups add-member " + staff + " " + dee.username).exit_code, 0);
  ASSERT_EQ(herald("groups add-member " + staff + " " + eve.username).exit_code, 0);

  // A group by name, and email only: the push column is empty.
  CliRun by_group =
      herald("notify --to " + staff +
             " --email-subject 'Report due' --email-body 'By Friday, *please*.' --format text");
  ASSERT_EQ(by_group.exit_code, 0) << by_group.output;
  EXPECT_TRUE(has(by_group, "to 2 recipient(s)")) << by_group.output;
  std::string dee_row = row_of(by_group, dee.username);
  EXPECT_NE(dee_row.find(" - "), std::string::npos) << dee_row;
  EXPECT_EQ(dee_row.find("FCM"), std::string::npos) << dee_row;
  EXPECT_NE(dee_row.find("failed (email is not configured on this server)"), std::string::npos);
  EXPECT_EQ(lines_of(by_group.output).back(), "email: 2 failed") << by_group.output;

  // One device of one user, and the API's reply as it came.
  CliRun json = herald("--json notify --to device:" + phone + " --push 'Wipe scheduled'");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  auto reply = boost::json::parse(json.output).as_object();
  EXPECT_EQ(reply.at("kind").as_string(), "notice");
  ASSERT_EQ(reply.at("recipients").as_array().size(), 1u) << json.output;
  EXPECT_EQ(reply.at("recipients").at(0).at("username").as_string(), dee.username);
  EXPECT_EQ(reply.at("recipients").at(0).at("push").at("status").as_string(), "failed");
}

TEST_F(CliNotices, ListsTheDeliveriesOfANotice) {
  login_as_admin();
  auto fay = make_person("fay", true);
  add_phone(fay);
  CliRun sent =
      herald("notify --to " + fay.username +
             " --push 'Gym closed' --email-subject 'Gym closed' --email-body 'Until Monday.'");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  std::string id = notice_id(sent);

  CliRun rows = herald("deliveries " + id);
  ASSERT_EQ(rows.exit_code, 0) << rows.output;
  auto lines = lines_of(rows.output);
  ASSERT_EQ(lines.size(), 3u) << rows.output;  // the header, the phone, the address
  for (const char* column :
       {"ID", "RECIPIENT", "CHANNEL", "STATUS", "ATTEMPTS", "LAST ERROR", "NEXT ATTEMPT"}) {
    EXPECT_NE(lines[0].find(column), std::string::npos) << lines[0];
  }
  std::string push_row, email_row;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_NE(lines[i].find(fay.username), std::string::npos) << lines[i];
    (lines[i].find("push (fcm)") != std::string::npos ? push_row : email_row) = lines[i];
  }
  EXPECT_NE(push_row.find("failed"), std::string::npos) << rows.output;
  EXPECT_NE(push_row.find("FCM is not configured on this server"), std::string::npos) << push_row;
  EXPECT_NE(email_row.find(" email "), std::string::npos) << rows.output;
  EXPECT_NE(email_row.find("email is not configured on this server"), std::string::npos)
      << email_row;

  CliRun unknown = herald("deliveries 999999");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(has(unknown, "HTTP 404")) << unknown.output;
}

TEST_F(CliNotices, TheBellListsMarksReadAndDeletesANotice) {
  login_as_admin();
  auto gus = make_person("gus", false);
  CliRun sent = herald("notify --to " + gus.username +
                       " --push 'Fire drill at 10' --title 'Drill' --url https://example.org/d");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;

  std::string as_gus = "--token " + gus.token + " ";
  CliRun bell = herald(as_gus + "bell");
  ASSERT_EQ(bell.exit_code, 0) << bell.output;
  EXPECT_EQ(lines_of(bell.output).front(), "1 unread") << bell.output;
  std::string item_row = row_of(bell, "*");
  EXPECT_NE(item_row.find("Drill"), std::string::npos) << item_row;
  EXPECT_NE(item_row.find("Fire drill at 10"), std::string::npos) << item_row;
  std::istringstream cells(item_row.substr(1));
  std::string item_id;
  cells >> item_id;

  CliRun read = herald(as_gus + "bell read " + item_id);
  ASSERT_EQ(read.exit_code, 0) << read.output;
  EXPECT_EQ(read.output, "marked notification " + item_id + " read\n");  // and lists nothing
  CliRun after_read = herald(as_gus + "bell");
  EXPECT_EQ(lines_of(after_read.output).front(), "0 unread") << after_read.output;
  EXPECT_TRUE(has(after_read, "Fire drill at 10")) << after_read.output;

  CliRun removed = herald(as_gus + "bell delete " + item_id);
  ASSERT_EQ(removed.exit_code, 0) << removed.output;
  EXPECT_EQ(removed.output, "deleted notification " + item_id + "\n");
  CliRun after_delete = herald(as_gus + "bell");
  EXPECT_FALSE(has(after_delete, "Fire drill at 10")) << after_delete.output;

  CliRun gone = herald(as_gus + "bell read " + item_id);
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_TRUE(has(gone, "no such notification")) << gone.output;
  EXPECT_NE(herald(as_gus + "bell delete").exit_code, 0);  // no id
}

TEST_F(CliNotices, RefusesBadUsageWithExitCode2AndSendsNothing) {
  login_as_admin();
  auto hal = make_person("hal", true);
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c : {
           Case{"--to " + hal.username,
                "notify needs --push TEXT, --email-subject SUBJECT --email-body BODY, or both"},
           Case{"--push hello", "notify needs --to"},
           Case{"--to " + hal.username +
                    " --email-subject S --email-body B --url https://example.org",
                "--url goes with --push"},
           Case{"--to " + hal.username + " --push hello --email-subject S",
                "--email-subject needs --email-body"},
           Case{"--to " + hal.username + " --email-subject S --email-body B --title T",
                "--title goes with --push"},
           Case{"--to " + hal.username + " --push hello --email-body B",
                "--email-body needs --email-subject"},
           Case{"--to " + hal.username + " --push hello --format text",
                "--format needs --email-subject"},
       }) {
    CliRun run = herald("notify " + c.args);
    EXPECT_EQ(run.exit_code, 2) << c.args << "\n" << run.output;
    EXPECT_TRUE(has(run, c.message)) << c.args << "\n" << run.output;
  }
  CliRun nobody = herald("notify --to no-such-person --push hello");
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_TRUE(has(nobody, "no user or group named 'no-such-person'")) << nobody.output;
  auto bell = http().get("/api/v1/notifications", hal.token);
  EXPECT_EQ(bell.json().at("unread").as_int64(), 0) << bell.body;
}

TEST_F(CliNotices, APlainUserIsToldWhyTheServerRefused) {
  auto ida = make_person("ida", false);
  auto jo = make_person("jo", false);
  CliRun refused = herald("--token " + ida.token + " notify --to " + jo.username + " --push hi");
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(has(refused, "only admins and senders may send notices")) << refused.output;
  EXPECT_TRUE(has(refused, "HTTP 403")) << refused.output;
  auto bell = http().get("/api/v1/notifications", jo.token);
  EXPECT_EQ(bell.json().at("unread").as_int64(), 0) << bell.body;
}

}  // namespace
}  // namespace herald::test
