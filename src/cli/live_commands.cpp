// herald sessions list|alert|drop and herald listen: live sessions from the terminal.
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "cli/cli_app.hpp"
#include "cli/listen_output.hpp"
#include "cli/output.hpp"
#include "cli/sse_parser.hpp"

namespace herald::cli {
namespace {

using Clock = std::chrono::steady_clock;

void list_sessions(ClientContext& ctx, const std::string& user) {
  std::vector<std::vector<std::string>> rows{{"ID", "USERNAME", "PROTOCOL", "CLIENT", "SYSTEM USER",
                                              "REMOTE ADDRESS", "CONNECTED AT", "LAST ACTIVITY"}};
  std::string path = "/api/v1/sessions?limit=200";
  if (!user.empty()) path += "&user=" + url_encode(user);
  bool listed = for_each_item(ctx, path, [&](const boost::json::object& s) {
    rows.push_back({text_of(s.at("id")), text_of(s.at("user").at("username")),
                    text_of(s.at("protocol")), text_of(s.at("client")),
                    text_of(s.at("system_user")), text_of(s.at("remote_address")),
                    short_time(s.at("connected_at")), short_time(s.at("last_activity"))});
  });
  if (listed) print_table(rows);
}

void send_alert(ClientContext& ctx, const std::vector<std::string>& words,
                const std::string& session) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  boost::json::object body{{"text", text}};
  if (!session.empty()) body["session"] = session;
  auto reply = ctx.client().post("/api/v1/sessions/alert", body);
  if (!reply.ok()) {
    print_error(reply.status == 404 && !session.empty()
                    ? "no open session '" + session + "': " + reply.describe_error()
                    : "cannot send the alert: " + reply.describe_error());
    ctx.exit_code = 1;
    return;
  }
  if (print_json_if_asked(ctx, reply)) return;
  std::printf("delivered to %s session(s)\n", text_of(reply.json.at("delivered")).c_str());
}

void drop_session(ClientContext& ctx, const std::string& session) {
  auto reply = ctx.client().del("/api/v1/sessions/" + url_encode(session));
  if (!reply.ok()) {
    print_error(reply.status == 404 ? "no open session '" + session + "': " + reply.describe_error()
                                    : "cannot drop the session: " + reply.describe_error());
    ctx.exit_code = 1;
    return;
  }
  std::printf("dropped session %s\n", session.c_str());
}

// Set by SIGINT or SIGTERM while `listen` runs; the stream checks it at least once a second.
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int signal_number) {
  stop_signal = signal_number;
}

// Catches SIGINT and SIGTERM for its lifetime, so that `listen` ends its stream and exits cleanly.
class StopSignals {
 public:
  StopSignals() {
    stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;  // no SA_RESTART: libcurl's wait returns at once
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &saved_int_);
    ::sigaction(SIGTERM, &action, &saved_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &saved_int_, nullptr);
    ::sigaction(SIGTERM, &saved_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction saved_int_ {};
  struct sigaction saved_term_ {};
};

// The user name on this machine, which admins see in `sessions list`.
std::string system_user() {
  if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_name && *entry->pw_name) {
    return entry->pw_name;
  }
  const char* from_env = std::getenv("USER");
  return from_env ? from_env : "";
}

struct ListenState {
  bool json = false;
  int heartbeat_seconds = 30;
  Clock::time_point last_data = Clock::now();
  bool silent = false;  // nothing came for several heartbeats: the connection is presumed dead
  std::string dropped_reason;
};

void print_line(const std::string& line) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
  std::printf("%s %s\n", stamp, line.c_str());
}

// Shows one event; returns false once the session is over.
bool on_event(ListenState& state, std::string_view data) {
  boost::system::error_code ec;
  boost::json::value event = boost::json::parse(data, ec);
  if (ec || !event.is_object()) {
    print_error("ignoring an event that is not a JSON object");
    return true;
  }
  const auto& object = event.as_object();
  if (state.json) {
    std::printf("%.*s\n", static_cast<int>(data.size()), data.data());
  } else {
    print_line(describe_event(object));
  }
  std::fflush(stdout);  // one event at a time, also into a pipe
  const auto* type = object.if_contains("type");
  if (!type || !type->is_string()) return true;
  if (*type == "welcome") {
    const auto* heartbeat = object.if_contains("heartbeat_seconds");
    if (heartbeat && heartbeat->is_int64() && heartbeat->get_int64() > 0) {
      state.heartbeat_seconds = static_cast<int>(heartbeat->get_int64());
    }
  } else if (*type == "session.dropped") {
    const auto* reason = object.if_contains("reason");
    state.dropped_reason = reason && reason->is_string() ? std::string(reason->get_string()) : "?";
    return false;
  }
  return true;
}

// Sets ctx.exit_code from how the stream ended, with a line on stderr when it failed.
void report_end(ClientContext& ctx, const ListenState& state, const SseParser& parser,
                const ApiReply& reply) {
  std::string error;
  if (stop_signal != 0) {
    return;  // Ctrl-C or SIGTERM: what the user asked for
  } else if (state.dropped_reason == "dropped_by_admin") {
    return;
  } else if (!state.dropped_reason.empty()) {
    error = "the server ended the session " + describe_drop_reason(state.dropped_reason);
  } else if (state.silent) {
    error = fmt::format("no word from the server for {} s; the connection is presumed lost",
                        3 * state.heartbeat_seconds);
  } else if (parser.too_large()) {
    error = "the server sent an event over 1 MiB; giving up";
  } else if (reply.status == 0) {
    error = reply.transport_error;
  } else if (!reply.ok()) {
    error = "cannot open a live session: " + reply.describe_error();
    if (reply.status == 401) error += "; log in again with 'herald login'";
  } else if (!reply.transport_error.empty()) {
    error = reply.transport_error;
  } else {
    error = "the server ended the stream";
  }
  print_error(error);
  ctx.exit_code = 1;
}

void listen_for_events(ClientContext& ctx) {
  std::string path = "/api/v1/events?client=" + url_encode("herald-cli/" HERALD_VERSION);
  if (std::string user = system_user(); !user.empty()) path += "&system_user=" + url_encode(user);
  ListenState state;
  state.json = ctx.json;
  SseParser parser([&state](std::string_view data) { return on_event(state, data); });
  auto on_data = [&](std::string_view chunk) {
    state.last_data = Clock::now();
    return parser.feed(chunk);
  };
  // The server writes at least a comment every heartbeat; three missed ones mean a dead link.
  auto stop_requested = [&] {
    if (stop_signal != 0) return true;
    state.silent =
        Clock::now() - state.last_data > std::chrono::seconds(3 * state.heartbeat_seconds);
    return state.silent;
  };
  ApiClient client = ctx.client();
  StopSignals signals;
  ApiReply reply = client.stream(path, on_data, stop_requested);
  report_end(ctx, state, parser, reply);
}

}  // namespace

void add_live_commands(CLI::App& app, ClientContext& ctx) {
  auto* sessions = app.add_subcommand("sessions", "see, alert and drop live sessions");
  sessions->require_subcommand(1);

  auto user = std::make_shared<std::string>();
  auto* list =
      sessions->add_subcommand("list", "list the live sessions open on the server (admins)");
  list->add_option("--user,-u", *user, "only the sessions of this username or system user");
  list->callback([&ctx, user] { list_sessions(ctx, *user); });

  auto words = std::make_shared<std::vector<std::string>>();
  auto session = std::make_shared<std::string>();
  auto* alert_cmd =
      sessions->add_subcommand("alert", "show a text in live sessions (admins, senders)");
  alert_cmd->add_option("--session,-s", *session, "only this session (default: every session)");
  alert_cmd->add_option("text", *words, "the text (several words are joined by spaces)")
      ->required();
  alert_cmd->callback([&ctx, words, session] { send_alert(ctx, *words, *session); });

  auto* drop_cmd = sessions->add_subcommand("drop", "end a live session (admins, or its own user)");
  drop_cmd->add_option("id", *session, "session id, as in 'sessions list'")->required();
  drop_cmd->callback([&ctx, session] { drop_session(ctx, *session); });

  app.add_subcommand("listen", "open a live session and print its events until Ctrl-C")
      ->callback([&ctx] { listen_for_events(ctx); });
}

}  // namespace herald::cli
