// The command-line client: subcommands that call the herald API and print what it answers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "cli/api_client.hpp"

namespace CLI {
class App;
}

namespace herald::cli {

struct ClientContext {
  std::string server;  // --server / HERALD_SERVER; else the saved login's; else localhost
  std::string token;   // --token / HERALD_TOKEN; else the saved login's
  bool json = false;   // print the API's JSON as it came
  int exit_code = 0;

  std::string server_url() const;
  ApiClient client() const;
};

// Adds the global client options and every client command to `app`.
void add_client_commands(CLI::App& app, ClientContext& ctx);

void add_session_commands(CLI::App& app, ClientContext& ctx);
void add_user_commands(CLI::App& app, ClientContext& ctx);
void add_group_commands(CLI::App& app, ClientContext& ctx);
void add_mail_commands(CLI::App& app, ClientContext& ctx);
void add_mailbox_commands(CLI::App& app, ClientContext& ctx);
void add_live_commands(CLI::App& app, ClientContext& ctx);
void add_device_commands(CLI::App& app, ClientContext& ctx);
void add_notice_commands(CLI::App& app, ClientContext& ctx);
void add_broadcast_commands(CLI::App& app, ClientContext& ctx);

// A user's id from an id or a username; a group's id from an id or a name. Prints the reason
// and sets ctx.exit_code when it cannot.
std::optional<std::string> resolve_user(ClientContext& ctx, const ApiClient& client,
                                        const std::string& id_or_name);
std::optional<std::string> resolve_group(ClientContext& ctx, const ApiClient& client,
                                         const std::string& id_or_name);

// Recipient addresses as the API takes them: "user:3", "group:2", "device:7" and "all" pass as
// they are; a bare username or group name is looked up in the directory. Prints the reason and
// sets ctx.exit_code when a name matches nothing the caller may write to.
std::optional<boost::json::array> resolve_addresses(ClientContext& ctx, const ApiClient& client,
                                                    const std::vector<std::string>& names);

}  // namespace herald::cli
