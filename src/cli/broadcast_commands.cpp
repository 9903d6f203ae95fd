// herald broadcast and herald broadcasts: sending a broadcast, listing one's broadcasts with
// their read and reply counts, one broadcast's recipients, and retracting one.
#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "cli/cli_app.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

struct BroadcastArgs {
  std::vector<std::string> to;
  std::string subject, body, format;
  std::vector<std::string> channels;
  CLI::Option* format_given = nullptr;
};

void send_broadcast(ClientContext& ctx, const BroadcastArgs& args) {
  ApiClient client = ctx.client();
  auto to = resolve_addresses(ctx, client, args.to);
  if (!to) return;
  boost::json::object body{{"to", std::move(*to)}, {"subject", args.subject}, {"body", args.body}};
  if (*args.format_given) body["format"] = args.format;
  if (!args.channels.empty()) {
    boost::json::array channels;
    for (const auto& channel : args.channels) channels.emplace_back(channel);
    body["channels"] = std::move(channels);
  }
  auto reply = client.post("/api/v1/broadcasts", body);
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  const auto& result = reply.json.as_object();
  std::printf(
      "sent broadcast %s to %s recipient(s)\n%s\n", text_of(result.at("id")).c_str(),
      text_of(result.at("recipient_count")).c_str(),
      channel_counts_line(result.at("summary").as_object(), {"inbox", "push", "email"}).c_str());
}

void list_broadcasts(ClientContext& ctx) {
  std::vector<std::vector<std::string>> rows{
      {"ID", "SENT", "RECIPIENTS", "READ", "REPLIED", "SUBJECT"}};
  bool listed = for_each_item(ctx, "/api/v1/broadcasts?limit=200", [&](const auto& b) {
    rows.push_back({text_of(b.at("id")), short_time(b.at("created_at")),
                    text_of(b.at("recipient_count")), text_of(b.at("read_count")),
                    text_of(b.at("replied_count")), shortened(text_of(b.at("subject")), 48)});
  });
  if (listed) print_table(rows);
}

void show_broadcast(ClientContext& ctx, const std::string& id) {
  ApiClient client = ctx.client();
  std::string path = "/api/v1/broadcasts/" + url_encode(id) + "?limit=200";
  auto reply = client.get(path);
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  const auto& b = reply.json.as_object();
  std::printf("broadcast %s: %s\nsent %s to %s recipient(s): %s read, %s replied\n\n",
              text_of(b.at("id")).c_str(), text_of(b.at("subject")).c_str(),
              short_time(b.at("created_at")).c_str(), text_of(b.at("recipient_count")).c_str(),
              text_of(b.at("read_count")).c_str(), text_of(b.at("replied_count")).c_str());
  std::vector<std::vector<std::string>> rows{{"RECIPIENT", "READ AT", "REPLIED AT", "THREAD"}};
  boost::json::object page = b;
  for (;;) {
    const auto& recipients = page.at("recipients").as_object();
    for (const auto& item : recipients.at("items").as_array()) {
      const auto& r = item.as_object();
      rows.push_back({text_of(r.at("user").at("username")), short_time(r.at("read_at")),
                      short_time(r.at("replied_at")), text_of(r.at("reply_thread"))});
    }
    const auto& next = recipients.at("next_cursor");
    if (next.is_null()) break;
    auto more = client.get(path + "&cursor=" + url_encode(text_of(next)));
    if (!more.ok()) return report_failure(ctx, more);
    page = more.json.as_object();
  }
  print_table(rows);
}

void retract_broadcast(ClientContext& ctx, const std::string& id) {
  auto reply = ctx.client().del("/api/v1/broadcasts/" + url_encode(id));
  if (!reply.ok()) return report_failure(ctx, reply);
  std::printf("retracted broadcast %s\n", id.c_str());
}

}  // namespace

void add_broadcast_commands(CLI::App& app, ClientContext& ctx) {
  auto args = std::make_shared<BroadcastArgs>();
  auto* send = app.add_subcommand("broadcast", "send a broadcast to users, groups or everyone");
  send->add_option("--to", args->to, "recipients: user:ID, group:ID, all, or a username/group name")
      ->required();
  send->add_option("--subject", args->subject, "the subject")->required();
  send->add_option("--body", args->body, "the body (markdown unless --format text)")->required();
  args->format_given =
      send->add_option("--format", args->format, "the body is markdown (default) or text")
          ->check(CLI::IsMember({"markdown", "text"}));
  send->add_option("--channels", args->channels,
                   "inbox, push and/or email, comma-separated (default: all three)")
      ->delimiter(',')
      ->check(CLI::IsMember({"inbox", "push", "email"}));
  send->callback([&ctx, args] { send_broadcast(ctx, *args); });

  auto* broadcasts = app.add_subcommand(
      "broadcasts", "list your broadcasts with read and reply counts, or show|retract one");
  broadcasts->require_subcommand(0, 1);
  // CLI11 runs a parent's callback after its subcommand's: list only when none was given.
  broadcasts->callback([&ctx, broadcasts] {
    if (broadcasts->get_subcommands().empty()) list_broadcasts(ctx);
  });
  auto id = std::make_shared<std::string>();
  auto* show = broadcasts->add_subcommand("show", "a broadcast's recipients: read and replied");
  show->add_option("id", *id, "the broadcast's id")->required();
  show->callback([&ctx, id] { show_broadcast(ctx, *id); });
  auto* retract = broadcasts->add_subcommand("retract", "take a broadcast out of every inbox");
  retract->add_option("id", *id, "the broadcast's id")->required();
  retract->callback([&ctx, id] { retract_broadcast(ctx, *id); });
}

}  // namespace herald::cli
