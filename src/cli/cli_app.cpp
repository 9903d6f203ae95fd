#include "cli/cli_app.hpp"

#include <CLI/CLI.hpp>

#include "cli/credentials.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

constexpr const char* kDefaultServer = "http://127.0.0.1:8080";

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Finds the item of a list reply whose `field` equals `wanted` exactly.
std::optional<std::string> find_id_by(ClientContext& ctx, const ApiReply& reply, const char* field,
                                      const std::string& wanted, const char* what) {
  if (!reply.ok()) {
    report_failure(ctx, reply);
    return std::nullopt;
  }
  for (const auto& item : reply.json.at("items").as_array()) {
    const auto& object = item.as_object();
    if (text_of(object.at(field)) == wanted) return text_of(object.at("id"));
  }
  print_error(std::string("no ") + what + " named '" + wanted + "'");
  ctx.exit_code = 1;
  return std::nullopt;
}

std::optional<std::string> resolve_address(ClientContext& ctx, const ApiClient& client,
                                           const std::string& text) {
  if (text == "all" || text.find(':') != std::string::npos) return text;
  auto reply = client.get("/api/v1/directory?limit=200&q=" + url_encode(text));
  if (!reply.ok()) {
    report_failure(ctx, reply);
    return std::nullopt;
  }
  for (const auto& item : reply.json.at("items").as_array()) {
    const auto& entry = item.as_object();
    bool user = entry.at("type").as_string() == "user";
    const char* field = user ? "username" : "name";
    if (text_of(entry.at(field)) == text) return text_of(entry.at("address"));
  }
  print_error("no user or group named '" + text + "' that you may write to");
  ctx.exit_code = 1;
  return std::nullopt;
}

}  // namespace

std::string ClientContext::server_url() const {
  if (!server.empty()) return server;
  if (auto saved = load_login(); saved && !saved->server.empty()) return saved->server;
  return kDefaultServer;
}

ApiClient ClientContext::client() const {
  std::string chosen_token = token;
  if (chosen_token.empty()) {
    if (auto saved = load_login()) chosen_token = saved->token;
  }
  return ApiClient(server_url(), chosen_token);
}

void add_client_commands(CLI::App& app, ClientContext& ctx) {
  app.add_option("--server", ctx.server, "herald server URL (default: the saved login's)")
      ->envname("HERALD_SERVER");
  app.add_option("--token", ctx.token, "API token (default: the saved login's)")
      ->envname("HERALD_TOKEN");
  app.add_flag("--json", ctx.json, "print the API's JSON replies");
  add_session_commands(app, ctx);
  add_user_commands(app, ctx);
  add_group_commands(app, ctx);
  add_mail_commands(app, ctx);
  add_mailbox_commands(app, ctx);
  add_live_commands(app, ctx);
  add_device_commands(app, ctx);
  add_notice_commands(app, ctx);
  add_broadcast_commands(app, ctx);
}

std::optional<std::string> resolve_user(ClientContext& ctx, const ApiClient& client,
                                        const std::string& id_or_name) {
  if (all_digits(id_or_name)) return id_or_name;
  auto reply = client.get("/api/v1/users?limit=200&q=" + url_encode(id_or_name));
  return find_id_by(ctx, reply, "username", id_or_name, "user");
}

std::optional<std::string> resolve_group(ClientContext& ctx, const ApiClient& client,
                                         const std::string& id_or_name) {
  if (all_digits(id_or_name)) return id_or_name;
  auto reply = client.get("/api/v1/groups?limit=200&q=" + url_encode(id_or_name));
  return find_id_by(ctx, reply, "name", id_or_name, "group");
}

std::optional<boost::json::array> resolve_addresses(ClientContext& ctx, const ApiClient& client,
                                                    const std::vector<std::string>& names) {
  boost::json::array out;
  for (const auto& name : names) {
    auto address = resolve_address(ctx, client, name);
    if (!address) return std::nullopt;
    out.push_back(boost::json::value(*address));
  }
  return out;
}

}  // namespace herald::cli
