// herald broadcast and herald broadcasts (list, show, retract) against a real server, with the
// recipients acting over HTTP in between.
#include <sstream>

#include "support/cli_fixture.hpp"

namespace herald::test {
namespace {

class CliBroadcasts : public CliTest {
 protected:
  static Account make_person(const std::string& stem) {
    std::string name = unique(stem);
    boost::json::object body{{"username", name}, {"password", "password-123"}};
    auto created = http().post("/api/v1/users", json_text(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    return {std::string(created.json().at("id").as_string()), name,
            http().login(name, "password-123")};
  }
  static bool has(const CliRun& run, const std::string& text) {
    return run.output.find(text) != std::string::npos;
  }
  static std::string line_starting(const CliRun& run, const std::string& start) {
    std::istringstream in(run.output);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with(start)) return line;
    }
    ADD_FAILURE() << "no line starting with '" << start << "' in:\n" << run.output;
    return "";
  }
  // The id from "sent broadcast ID to N recipient(s)".
  static std::string broadcast_id(const CliRun& run) {
    std::string line = line_starting(run, "sent broadcast ");
    std::string rest = line.substr(std::string("sent broadcast ").size());
    return rest.substr(0, rest.find(' '));
  }
};

TEST_F(CliBroadcasts, SendsListsShowsAndRetracts) {
  login_as_admin();
  auto ann = make_person("ann");
  auto bob = make_person("bob");
  std::string staff = unique("staff");
  ASSERT_EQ(herald("groups add " + staff).exit_code, 0);
  ASSERT_EQ(herald("groups add-member " + staff + " " + ann.username).exit_code, 0);
  ASSERT_EQ(herald("groups add-member " + staff + " " + bob.username).exit_code, 0);

  CliRun sent = herald("broadcast --to " + staff +
                       " --subject 'Staff meeting moved' --body 'Now at **4 pm**.'"
                       " --channels inbox,email");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_TRUE(has(sent, "to 2 recipient(s)")) << sent.output;
  EXPECT_TRUE(has(sent, "inbox: 2 delivered; email: 2 no_address")) << sent.output;
  std::string id = broadcast_id(sent);
  ASSERT_FALSE(id.empty());

  // Ann reads it and replies; Bob does neither.
  ASSERT_EQ(http().post("/api/v1/messages/" + id + "/read", "", ann.token).status, 204);
  auto reply = http().post("/api/v1/messages",
                           json_text({{"reply_to", id}, {"body", "I will be there"}}), ann.token);
  ASSERT_EQ(reply.status, 201) << reply.body;

  CliRun listed = herald("broadcasts");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  std::string row = line_starting(listed, id + " ");
  EXPECT_NE(row.find("Staff meeting moved"), std::string::npos) << row;
  std::istringstream cells(row);
  std::string cell_id, day, time, recipients, read, replied;
  cells >> cell_id >> day >> time >> recipients >> read >> replied;
  EXPECT_EQ(recipients + " " + read + " " + replied, "2 1 1") << row;

  CliRun shown = herald("broadcasts show " + id);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_TRUE(has(shown, "2 recipient(s): 1 read, 1 replied")) << shown.output;
  std::string ann_row = line_starting(shown, ann.username + " ");
  std::string bob_row = line_starting(shown, bob.username + " ");
  EXPECT_NE(ann_row.find(std::string(reply.json().at("id").as_string())), std::string::npos)
      << ann_row;                                              // the thread the reply opened
  EXPECT_EQ(bob_row.find(':'), std::string::npos) << bob_row;  // no time read or replied

  // A plain user may not broadcast, nor retract.
  CliRun as_bob = herald("--token " + bob.token + " broadcast --to " + ann.username +
                         " --subject Hi --body there");
  EXPECT_NE(as_bob.exit_code, 0);
  EXPECT_TRUE(has(as_bob, "broadcast")) << as_bob.output;
  EXPECT_NE(herald("--token " + bob.token + " broadcasts retract " + id).exit_code, 0);

  CliRun retracted = herald("broadcasts retract " + id);
  ASSERT_EQ(retracted.exit_code, 0) << retracted.output;
  EXPECT_TRUE(has(retracted, "retracted broadcast " + id)) << retracted.output;
  EXPECT_EQ(http().get("/api/v1/messages/" + id, bob.token).status, 404);
  EXPECT_EQ(herald("broadcasts").output.find(id + " "), std::string::npos);
  CliRun again = herald("broadcasts retract " + id);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(has(again, "no such broadcast")) << again.output;
}

TEST_F(CliBroadcasts, RefusesAnUnknownChannelBeforeAskingTheServer) {
  login_as_admin();
  CliRun run = herald("broadcast --to all --subject S --body B --channels inbox,sms");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(has(run, "sms")) << run.output;
  EXPECT_TRUE(herald("broadcasts").exit_code == 0);
}

}  // namespace
}  // namespace herald::test
