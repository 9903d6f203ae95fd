// The command-line client against a real server: login, users, groups, mail, devices.
#include <fstream>

#include "support/cli_fixture.hpp"

namespace herald::test {
namespace {

class Cli : public CliTest {};

TEST_F(Cli, LogsInAndShowsWhoIsLoggedIn) {
  login_as_admin();
  CliRun whoami = herald("whoami");
  EXPECT_EQ(whoami.exit_code, 0);
  EXPECT_NE(whoami.output.find("admin (Administrator), role admin"), std::string::npos)
      << whoami.output;
  auto mode = std::filesystem::status(config_dir_->path() / "cli.json").permissions();
  EXPECT_EQ(mode & std::filesystem::perms::group_read, std::filesystem::perms::none);
  EXPECT_EQ(mode & std::filesystem::perms::others_read, std::filesystem::perms::none);
}

TEST_F(Cli, ManagesUsers) {
  login_as_admin();
  std::string name = unique("cliuser");
  CliRun add = herald("users add " + name +
                      " --display-name 'Cli User' --email c@example.org --role sender");
  ASSERT_EQ(add.exit_code, 0) << add.output;
  EXPECT_NE(add.output.find("created user " + name), std::string::npos);

  CliRun list = herald("users list -q " + name);
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find(name), std::string::npos);
  EXPECT_NE(list.output.find("Cli User"), std::string::npos);

  CliRun show = herald("users show " + name);
  EXPECT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("c@example.org"), std::string::npos);

  CliRun json = herald("--json users show " + name);
  EXPECT_NE(json.output.find("\"role\":\"sender\""), std::string::npos) << json.output;

  CliRun remove = herald("users remove " + name);
  EXPECT_EQ(remove.exit_code, 0) << remove.output;
  CliRun gone = herald("users show " + name);
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.output.find("no user named"), std::string::npos) << gone.output;
}

TEST_F(Cli, ManagesGroupsAndMembers) {
  login_as_admin();
  std::string group = unique("cligroup");
  std::string user = unique("member");
  ASSERT_EQ(herald("users add " + user).exit_code, 0);
  CliRun add = herald("groups add " + group + " --description 'From the CLI'");
  ASSERT_EQ(add.exit_code, 0) << add.output;
  CliRun join = herald("groups add-member " + group + " " + user);
  ASSERT_EQ(join.exit_code, 0) << join.output;
  CliRun show = herald("groups show " + group);
  EXPECT_NE(show.output.find("1 member(s)"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find(user), std::string::npos);
  CliRun list = herald("groups list");
  EXPECT_NE(list.output.find(group), std::string::npos);
  ASSERT_EQ(herald("groups remove-member " + group + " " + user).exit_code, 0);
  EXPECT_NE(herald("groups show " + group).output.find("0 member(s)"), std::string::npos);
}

TEST_F(Cli, SendsReadsAndFilesMail) {
  login_as_admin();
  std::string reader = unique("reader");
  ASSERT_EQ(herald("users add " + reader + " --password reader-password").exit_code, 0);
  std::string attachment = (config_dir_->path() / "minutes.txt").string();
  {
    std::ofstream out(attachment);
    out << "minutes of the meeting";
  }
  CliRun sent = herald("send --to " + reader + " -s 'Staff meeting' -b 'See **minutes**' -a '" +
                       attachment + "'");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_NE(sent.output.find("to 1 recipient(s)"), std::string::npos) << sent.output;
  CliRun draft = herald("draft save --to " + reader + " -s 'Not yet' -b 'later'");
  ASSERT_EQ(draft.exit_code, 0) << draft.output;
  EXPECT_NE(herald("inbox -f drafts").output.find("Not yet"), std::string::npos);
  // Sent mail is listed by whom it went to.
  CliRun outgoing = herald("inbox -f sent");
  std::size_t subject = outgoing.output.find("Staff meeting");
  ASSERT_NE(subject, std::string::npos) << outgoing.output;
  std::size_t line = outgoing.output.rfind('\n', subject);
  line = line == std::string::npos ? 0 : line;
  std::string row = outgoing.output.substr(line, subject - line);
  EXPECT_NE(outgoing.output.find(" TO "), std::string::npos) << outgoing.output;
  EXPECT_NE(row.find(reader), std::string::npos) << outgoing.output;
  EXPECT_EQ(row.find("Administrator"), std::string::npos) << outgoing.output;

  ASSERT_EQ(herald("login " + reader + " --password reader-password").exit_code, 0);
  CliRun inbox = herald("inbox");
  EXPECT_NE(inbox.output.find("1 message(s), 1 unread"), std::string::npos) << inbox.output;
  EXPECT_NE(inbox.output.find("Staff meeting"), std::string::npos);
  std::string id = inbox.output.substr(inbox.output.find("*@") + 2);
  id = id.substr(id.find_first_not_of(' '));
  id = id.substr(0, id.find(' '));
  CliRun read = herald("read " + id);
  ASSERT_EQ(read.exit_code, 0) << read.output;
  EXPECT_NE(read.output.find("Subject: Staff meeting"), std::string::npos) << read.output;
  EXPECT_NE(read.output.find("minutes.txt"), std::string::npos);
  EXPECT_NE(herald("inbox").output.find("1 message(s), 0 unread"), std::string::npos);
  ASSERT_EQ(herald("trash " + id).exit_code, 0);
  EXPECT_NE(herald("inbox -f trash").output.find("Staff meeting"), std::string::npos);
  ASSERT_EQ(herald("restore " + id).exit_code, 0);
  EXPECT_NE(herald("inbox").output.find("Staff meeting"), std::string::npos);
  CliRun bell = herald("bell");
  EXPECT_NE(bell.output.find("New mail from Administrator"), std::string::npos) << bell.output;
  ASSERT_EQ(herald("trash " + id).exit_code, 0);
  ASSERT_EQ(herald("purge " + id).exit_code, 0);
  EXPECT_EQ(herald("read " + id).exit_code, 1);
}

TEST_F(Cli, ReportsApiErrorsWithANonZeroExit) {
  login_as_admin();
  CliRun bad = herald("users add 'Not Valid'");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("HTTP 400 bad_request"), std::string::npos) << bad.output;
  CliRun wrong = herald("login admin --password wrong-password");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.output.find("HTTP 401"), std::string::npos);
}

TEST_F(Cli, LogoutForgetsTheToken) {
  login_as_admin();
  ASSERT_EQ(herald("logout").exit_code, 0);
  CliRun after = herald("whoami");
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_NE(after.output.find("HTTP 401"), std::string::npos) << after.output;
}

TEST_F(Cli, ManagesDevices) {
  login_as_admin();
  std::string token(64, 'b');
  CliRun add = herald("devices add --platform apns --name 'Work iPhone' --token " + token);
  ASSERT_EQ(add.exit_code, 0) << add.output;
  EXPECT_NE(add.output.find("registered device"), std::string::npos) << add.output;
  CliRun again = herald("devices add -p apns -n 'Work iPhone' -t " + token);
  EXPECT_NE(again.output.find("updated device"), std::string::npos) << again.output;

  std::string subscription = (config_dir_->path() / "subscription.json").string();
  std::ofstream(subscription) << R"({"endpoint":"https://push.example.net/s/)" << unique("x")
                              << R"(","keys":{"p256dh":"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhq)"
                              << R"(UzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",)"
                              << R"("auth":"BTBZMqHH6r4Tts7J_aSIgg"}})";
  CliRun browser = herald("devices add -p webpush -n Browser --subscription " + subscription);
  ASSERT_EQ(browser.exit_code, 0) << browser.output;

  CliRun list = herald("devices list");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.output.find("Work iPhone"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("https://push.example.net/s/"), std::string::npos) << list.output;
  std::string id = add.output.substr(add.output.rfind(' ') + 1);
  id.erase(id.find_last_not_of("\n") + 1);
  CliRun removed = herald("devices remove " + id);
  EXPECT_EQ(removed.exit_code, 0) << removed.output;
  EXPECT_EQ(herald("devices list").output.find("Work iPhone"), std::string::npos);
  CliRun bad = herald("devices add -p fcm -t 'has space'");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("FCM registration token"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace herald::test
