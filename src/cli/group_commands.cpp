// herald groups add|list|show|add-member|remove-member.
#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include "cli/cli_app.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

struct MemberArgs {
  std::string group;
  std::string user;
};

void add_group(ClientContext& ctx, const std::string& name, const std::string& description) {
  auto reply = ctx.client().post("/api/v1/groups",
                                 boost::json::object{{"name", name}, {"description", description}});
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  std::printf("created group %s with id %s\n", name.c_str(), text_of(reply.json.at("id")).c_str());
}

void list_groups(ClientContext& ctx) {
  ApiClient client = ctx.client();
  std::vector<std::vector<std::string>> rows{{"ID", "NAME", "MEMBERS", "DESCRIPTION"}};
  std::string cursor;
  do {
    std::string path = "/api/v1/groups?limit=200";
    if (!cursor.empty()) path += "&cursor=" + url_encode(cursor);
    auto reply = client.get(path);
    if (!reply.ok()) return report_failure(ctx, reply);
    if (print_json_if_asked(ctx, reply)) return;
    for (const auto& item : reply.json.at("items").as_array()) {
      const auto& group = item.as_object();
      rows.push_back({text_of(group.at("id")), text_of(group.at("name")),
                      text_of(group.at("member_count")), text_of(group.at("description"))});
    }
    const auto& next = reply.json.at("next_cursor");
    cursor = next.is_string() ? std::string(next.get_string()) : std::string();
  } while (!cursor.empty());
  print_table(rows);
}

void show_group(ClientContext& ctx, const std::string& which) {
  ApiClient client = ctx.client();
  auto id = resolve_group(ctx, client, which);
  if (!id) return;
  auto reply = client.get("/api/v1/groups/" + url_encode(*id) + "?limit=200");
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  const auto& group = reply.json.as_object();
  std::printf("%s (id %s): %s member(s)\n", text_of(group.at("name")).c_str(),
              text_of(group.at("id")).c_str(), text_of(group.at("member_count")).c_str());
  std::vector<std::vector<std::string>> rows{{"ID", "USERNAME", "DISPLAY NAME"}};
  for (const auto& item : group.at("members").as_array()) {
    const auto& user = item.as_object();
    rows.push_back(
        {text_of(user.at("id")), text_of(user.at("username")), text_of(user.at("display_name"))});
  }
  print_table(rows);
}

void change_member(ClientContext& ctx, const MemberArgs& args, bool add) {
  ApiClient client = ctx.client();
  auto group = resolve_group(ctx, client, args.group);
  if (!group) return;
  auto user = resolve_user(ctx, client, args.user);
  if (!user) return;
  std::string path = "/api/v1/groups/" + url_encode(*group) + "/members/" + url_encode(*user);
  auto reply = add ? client.put(path) : client.del(path);
  if (!reply.ok()) return report_failure(ctx, reply);
  std::printf("%s %s %s %s\n", add ? "added" : "removed", args.user.c_str(), add ? "to" : "from",
              args.group.c_str());
}

}  // namespace

void add_group_commands(CLI::App& app, ClientContext& ctx) {
  auto* groups = app.add_subcommand("groups", "manage groups and their members");
  groups->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  auto description = std::make_shared<std::string>();
  auto* add = groups->add_subcommand("add", "create a group (admins)");
  add->add_option("name", *name, "group name")->required();
  add->add_option("--description", *description, "what the group is");
  add->callback([&ctx, name, description] { add_group(ctx, *name, *description); });

  groups->add_subcommand("list", "list groups")->callback([&ctx] { list_groups(ctx); });

  auto which = std::make_shared<std::string>();
  auto* show = groups->add_subcommand("show", "show a group and its members");
  show->add_option("group", *which, "id or name")->required();
  show->callback([&ctx, which] { show_group(ctx, *which); });

  auto member = std::make_shared<MemberArgs>();
  for (bool adding : {true, false}) {
    auto* cmd = groups->add_subcommand(
        adding ? "add-member" : "remove-member",
        adding ? "add a user to a group (admins)" : "remove a user from a group (admins)");
    cmd->add_option("group", member->group, "group id or name")->required();
    cmd->add_option("user", member->user, "user id or username")->required();
    cmd->callback([&ctx, member, adding] { change_member(ctx, *member, adding); });
  }
}

}  // namespace herald::cli
