// herald users add|list|show|remove.
#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include "cli/cli_app.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

struct AddArgs {
  std::string username;
  std::string display_name;
  std::string email;
  std::string role = "user";
  std::string password;
};

std::vector<std::string> user_row(const boost::json::object& user) {
  return {text_of(user.at("id")), text_of(user.at("username")), text_of(user.at("role")),
          text_of(user.at("display_name")), text_of(user.at("email"))};
}

void add_user(ClientContext& ctx, const AddArgs& args) {
  boost::json::object body{{"username", args.username}, {"role", args.role}};
  if (!args.display_name.empty()) body["display_name"] = args.display_name;
  if (!args.email.empty()) body["email"] = args.email;
  if (!args.password.empty()) body["password"] = args.password;
  auto reply = ctx.client().post("/api/v1/users", body);
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  std::printf("created user %s with id %s\n", args.username.c_str(),
              text_of(reply.json.at("id")).c_str());
}

void list_users(ClientContext& ctx, const std::string& query) {
  ApiClient client = ctx.client();
  std::vector<std::vector<std::string>> rows{{"ID", "USERNAME", "ROLE", "DISPLAY NAME", "EMAIL"}};
  std::string cursor;
  do {
    std::string path = "/api/v1/users?limit=200&q=" + url_encode(query);
    if (!cursor.empty()) path += "&cursor=" + url_encode(cursor);
    auto reply = client.get(path);
    if (!reply.ok()) return report_failure(ctx, reply);
    if (print_json_if_asked(ctx, reply)) return;
    for (const auto& user : reply.json.at("items").as_array())
      rows.push_back(user_row(user.as_object()));
    const auto& next = reply.json.at("next_cursor");
    cursor = next.is_string() ? std::string(next.get_string()) : std::string();
  } while (!cursor.empty());
  print_table(rows);
}

void show_user(ClientContext& ctx, const std::string& who) {
  ApiClient client = ctx.client();
  auto id = resolve_user(ctx, client, who);
  if (!id) return;
  auto reply = client.get("/api/v1/users/" + url_encode(*id));
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  const auto& user = reply.json.as_object();
  print_table({{"id", text_of(user.at("id"))},
               {"username", text_of(user.at("username"))},
               {"display name", text_of(user.at("display_name"))},
               {"email", text_of(user.at("email"))},
               {"role", text_of(user.at("role"))},
               {"created", text_of(user.at("created_at"))}});
}

void remove_user(ClientContext& ctx, const std::string& who) {
  ApiClient client = ctx.client();
  auto id = resolve_user(ctx, client, who);
  if (!id) return;
  auto reply = client.del("/api/v1/users/" + url_encode(*id));
  if (!reply.ok()) return report_failure(ctx, reply);
  std::printf("removed user %s\n", who.c_str());
}

}  // namespace

void add_user_commands(CLI::App& app, ClientContext& ctx) {
  auto* users = app.add_subcommand("users", "manage users (admins)");
  users->require_subcommand(1);

  auto add_args = std::make_shared<AddArgs>();
  auto* add = users->add_subcommand("add", "create a user");
  add->add_option("username", add_args->username, "login name: a-z, 0-9, '.', '_', '-'")
      ->required();
  add->add_option("--display-name", add_args->display_name, "shown name (default: the username)");
  add->add_option("--email", add_args->email, "email address");
  add->add_option("--role", add_args->role, "admin, sender or user")
      ->check(CLI::IsMember({"admin", "sender", "user"}));
  add->add_option("--password", add_args->password, "initial password (8 characters or more)");
  add->callback([&ctx, add_args] { add_user(ctx, *add_args); });

  auto query = std::make_shared<std::string>();
  auto* list = users->add_subcommand("list", "list users");
  list->add_option("--query,-q", *query, "only names starting with this");
  list->callback([&ctx, query] { list_users(ctx, *query); });

  auto who = std::make_shared<std::string>();
  auto* show = users->add_subcommand("show", "show one user");
  show->add_option("user", *who, "id or username")->required();
  show->callback([&ctx, who] { show_user(ctx, *who); });

  auto* remove = users->add_subcommand("remove", "delete a user");
  remove->add_option("user", *who, "id or username")->required();
  remove->callback([&ctx, who] { remove_user(ctx, *who); });
}

}  // namespace herald::cli
