// herald notify and herald deliveries: sending notices by push and email, and following each
// delivery through the outbox.
#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "cli/cli_app.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

struct NotifyArgs {
  std::vector<std::string> to;
  std::string push_text, url, title;
  std::string email_subject, email_body, format;
  // Whether each option was given at all, so that an empty value still counts as given.
  CLI::Option *push = nullptr, *url_given = nullptr, *title_given = nullptr;
  CLI::Option *subject = nullptr, *body = nullptr, *format_given = nullptr;
};

// What is wrong with the command line, or an empty string.
std::string usage_problem(const NotifyArgs& args) {
  if (args.to.empty()) return "notify needs --to: who receives the notice";
  if (!*args.push && !*args.subject) {
    return "notify needs --push TEXT, --email-subject SUBJECT --email-body BODY, or both";
  }
  if (*args.url_given && !*args.push) return "--url goes with --push";
  if (*args.title_given && !*args.push) return "--title goes with --push";
  if (*args.body && !*args.subject) return "--email-body needs --email-subject";
  // The server refuses an email without a body; say so before anything is looked up.
  if (*args.subject && !*args.body) return "--email-subject needs --email-body";
  if (*args.format_given && !*args.subject) return "--format needs --email-subject";
  return {};
}

boost::json::object notice_body(const NotifyArgs& args, boost::json::array to) {
  boost::json::object body{{"to", std::move(to)}};
  if (*args.push) {
    boost::json::object push{{"text", args.push_text}};
    if (*args.url_given) push["url"] = args.url;
    if (*args.title_given) push["title"] = args.title;
    body["push"] = std::move(push);
  }
  if (*args.subject) {
    boost::json::object email{{"subject", args.email_subject}};
    if (*args.body) email["body"] = args.email_body;
    if (*args.format_given) email["format"] = args.format;
    body["email"] = std::move(email);
  }
  return body;
}

// "sent", "no_device", "failed (FCM is not configured on this server)", "queued (2 devices)";
// "-" for a channel the notice did not use.
std::string channel_cell(const boost::json::object& recipient, const char* channel) {
  const auto* outcome = recipient.if_contains(channel);
  if (!outcome || !outcome->is_object()) return "-";
  const auto& o = outcome->as_object();
  std::string cell = text_of(o.at("status"));
  // no_device and no_address say all their reasons would.
  bool self_explained = cell == "no_device" || cell == "no_address";
  if (const auto* reason = o.if_contains("reason"); reason && !self_explained) {
    cell += " (" + text_of(*reason) + ")";
  } else if (const auto* devices = o.if_contains("devices");
             devices && devices->is_int64() && devices->as_int64() > 1) {
    cell += " (" + std::to_string(devices->as_int64()) + " devices)";
  }
  return cell;
}

std::string recipient_cell(const boost::json::object& recipient) {
  std::string username = text_of(recipient.at("username"));
  std::string display = text_of(recipient.at("display_name"));
  if (display.empty() || display == "-" || display == username) return username;
  return username + " (" + display + ")";
}

void notify(ClientContext& ctx, const NotifyArgs& args) {
  if (std::string problem = usage_problem(args); !problem.empty()) {
    print_error(problem);
    ctx.exit_code = 2;
    return;
  }
  ApiClient client = ctx.client();
  auto to = resolve_addresses(ctx, client, args.to);
  if (!to) return;
  auto reply = client.post("/api/v1/notices", notice_body(args, std::move(*to)));
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  const auto& result = reply.json.as_object();
  std::printf("sent notice %s to %s recipient(s)\n", text_of(result.at("id")).c_str(),
              text_of(result.at("recipient_count")).c_str());
  std::vector<std::vector<std::string>> rows{{"RECIPIENT", "PUSH", "EMAIL"}};
  for (const auto& item : result.at("recipients").as_array()) {
    const auto& recipient = item.as_object();
    rows.push_back({recipient_cell(recipient), channel_cell(recipient, "push"),
                    channel_cell(recipient, "email")});
  }
  print_table(rows);
  std::printf("%s\n",
              channel_counts_line(result.at("summary").as_object(), {"push", "email"}).c_str());
}

void list_deliveries(ClientContext& ctx, const std::string& message_id) {
  std::vector<std::vector<std::string>> rows{
      {"ID", "RECIPIENT", "CHANNEL", "STATUS", "ATTEMPTS", "LAST ERROR", "NEXT ATTEMPT"}};
  bool listed = for_each_item(
      ctx, "/api/v1/deliveries?limit=200&message=" + url_encode(message_id),
      [&](const boost::json::object& d) {
        std::string channel = text_of(d.at("channel"));
        if (const auto* platform = d.if_contains("platform"); platform && platform->is_string()) {
          channel += " (" + text_of(*platform) + ")";
        }
        rows.push_back({text_of(d.at("id")), text_of(d.at("recipient").at("username")), channel,
                        text_of(d.at("status")), text_of(d.at("attempts")),
                        shortened(text_of(d.at("last_error")), 48),
                        short_time(d.at("next_attempt_at"))});
      });
  if (listed) print_table(rows);
}

}  // namespace

void add_notice_commands(CLI::App& app, ClientContext& ctx) {
  auto args = std::make_shared<NotifyArgs>();
  auto* notify_cmd = app.add_subcommand("notify", "send a notice by push and/or email");
  notify_cmd->add_option("--to", args->to,
                         "recipients: user:ID, group:ID, device:ID, all, or a username/group name");
  args->push = notify_cmd->add_option("--push", args->push_text, "push: the notification's text");
  args->url_given = notify_cmd->add_option("--url", args->url, "push: a link to open");
  args->title_given =
      notify_cmd->add_option("--title", args->title, "push: the title (default: from the sender)");
  args->subject = notify_cmd->add_option("--email-subject", args->email_subject, "email: subject");
  args->body = notify_cmd->add_option("--email-body", args->email_body,
                                      "email: body (goes with --email-subject)");
  args->format_given = notify_cmd->add_option("--format", args->format,
                                              "email: the body is markdown (default) or text");
  args->format_given->check(CLI::IsMember({"markdown", "text"}));
  notify_cmd->callback([&ctx, args] { notify(ctx, *args); });

  auto message_id = std::make_shared<std::string>();
  auto* deliveries = app.add_subcommand("deliveries", "show each delivery of a notice");
  deliveries->add_option("message", *message_id, "the notice's id, as 'notify' printed it")
      ->required();
  deliveries->callback([&ctx, message_id] { list_deliveries(ctx, *message_id); });
}

}  // namespace herald::cli
