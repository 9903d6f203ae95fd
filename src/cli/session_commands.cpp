// herald login, logout, whoami.
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>

#include "cli/cli_app.hpp"
#include "cli/credentials.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

std::string read_password(const std::string& prompt) {
  if (const char* env = std::getenv("HERALD_PASSWORD"); env && *env) return env;
  bool terminal = ::isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  return password;
}

struct LoginArgs {
  std::string username;
  std::string password;
};

void login(ClientContext& ctx, const LoginArgs& args) {
  std::string password = args.password.empty() ? read_password("password: ") : args.password;
  ApiClient anonymous(ctx.server_url(), "");
  auto reply = anonymous.post(
      "/api/v1/login", boost::json::object{{"username", args.username}, {"password", password}});
  if (!reply.ok()) return report_failure(ctx, reply);
  const auto& object = reply.json.as_object();
  try {
    save_login({ctx.server_url(), text_of(object.at("token")), args.username});
  } catch (const std::exception& e) {
    print_error(e.what());
    ctx.exit_code = 1;
    return;
  }
  if (print_json_if_asked(ctx, reply)) return;
  const auto& user = object.at("user").as_object();
  std::printf("logged in to %s as %s (%s); token saved in %s\n", ctx.server_url().c_str(),
              text_of(user.at("username")).c_str(), text_of(user.at("role")).c_str(),
              credentials_path().c_str());
}

void logout(ClientContext& ctx) {
  auto reply = ctx.client().send("POST", "/api/v1/logout", nullptr);
  forget_login();
  if (!reply.ok() && reply.status != 401) return report_failure(ctx, reply);
  std::printf("logged out\n");
}

void whoami(ClientContext& ctx) {
  auto reply = ctx.client().get("/api/v1/me");
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  const auto& user = reply.json.at("user").as_object();
  const auto& unread = reply.json.at("unread").as_object();
  std::printf("%s (%s), role %s, id %s; unread: %s in inbox, %s notifications\n",
              text_of(user.at("username")).c_str(), text_of(user.at("display_name")).c_str(),
              text_of(user.at("role")).c_str(), text_of(user.at("id")).c_str(),
              text_of(unread.at("inbox")).c_str(), text_of(unread.at("notifications")).c_str());
}

}  // namespace

void add_session_commands(CLI::App& app, ClientContext& ctx) {
  auto args = std::make_shared<LoginArgs>();
  auto* login_cmd = app.add_subcommand("login", "log in and save the token for later commands");
  login_cmd->add_option("username", args->username, "your username")->required();
  login_cmd->add_option("--password", args->password,
                        "password (default: $HERALD_PASSWORD, else asked for)");
  login_cmd->callback([&ctx, args] { login(ctx, *args); });

  app.add_subcommand("logout", "revoke the saved token and forget it")->callback([&ctx] {
    logout(ctx);
  });
  app.add_subcommand("whoami", "show the logged-in user and unread counts")->callback([&ctx] {
    whoami(ctx);
  });
}

}  // namespace herald::cli
