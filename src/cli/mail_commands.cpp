// herald send and herald draft save|edit|send|discard: writing mail from the terminal.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "cli/cli_app.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

struct ComposeArgs {
  std::vector<std::string> to, cc, bcc, attach;
  std::string subject;
  std::string body;
  std::string body_file;
  std::string reply_to;
  std::string forward_of;
  bool reply_all = false;
  bool text = false;
};

// The message body from --body, --body-file, or standard input when neither is given.
std::optional<std::string> read_body(ClientContext& ctx, const ComposeArgs& args, bool needed) {
  if (!args.body.empty()) return args.body;
  if (!args.body_file.empty()) {
    std::ifstream in(args.body_file);
    if (!in) {
      print_error("cannot read " + args.body_file);
      ctx.exit_code = 1;
      return std::nullopt;
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  if (!needed) return std::string();
  return std::string(std::istreambuf_iterator<char>(std::cin), {});
}

// Builds the JSON of a compose or draft edit; uploads the attachments first.
std::optional<boost::json::object> compose_body(ClientContext& ctx, const ApiClient& client,
                                                const ComposeArgs& args, bool body_from_stdin) {
  boost::json::object body;
  for (auto [key, list] : {std::pair{"to", &args.to}, {"cc", &args.cc}, {"bcc", &args.bcc}}) {
    if (list->empty()) continue;
    auto resolved = resolve_addresses(ctx, client, *list);
    if (!resolved) return std::nullopt;
    body[key] = std::move(*resolved);
  }
  if (!args.reply_to.empty()) {
    body["reply_to"] = args.reply_to;
    if (args.reply_all && args.to.empty() && args.cc.empty()) {
      auto original = client.get("/api/v1/messages/" + url_encode(args.reply_to));
      if (!original.ok()) {
        report_failure(ctx, original);
        return std::nullopt;
      }
      body["to"] = original.json.at("reply_all");
    }
  }
  if (!args.forward_of.empty()) body["forward_of"] = args.forward_of;
  if (!args.subject.empty()) body["subject"] = args.subject;
  auto text = read_body(ctx, args, body_from_stdin);
  if (!text) return std::nullopt;
  if (!text->empty()) body["body"] = *text;
  if (args.text) body["format"] = "text";
  if (!args.attach.empty()) {
    boost::json::array ids;
    for (const auto& file : args.attach) {
      std::string name = std::filesystem::path(file).filename().string();
      auto uploaded = client.upload("/api/v1/blobs?name=" + url_encode(name), file);
      if (!uploaded.ok()) {
        report_failure(ctx, uploaded);
        return std::nullopt;
      }
      ids.push_back(uploaded.json.at("id"));
    }
    body["attachments"] = std::move(ids);
  }
  return body;
}

void print_outcome(const ClientContext& ctx, const ApiReply& reply, const char* verb) {
  if (print_json_if_asked(ctx, reply)) return;
  const auto& result = reply.json.as_object();
  std::printf("%s message %s to %s recipient(s)\n", verb, text_of(result.at("id")).c_str(),
              text_of(result.at("recipient_count")).c_str());
  for (const auto& item : result.at("addresses").as_array()) {
    const auto& outcome = item.as_object();
    std::printf("  %s: %s (%s)%s%s\n", text_of(outcome.at("address")).c_str(),
                text_of(outcome.at("status")).c_str(), text_of(outcome.at("recipients")).c_str(),
                outcome.contains("reason") ? " " : "",
                outcome.contains("reason") ? text_of(outcome.at("reason")).c_str() : "");
  }
}

void send(ClientContext& ctx, const ComposeArgs& args, bool draft) {
  ApiClient client = ctx.client();
  auto body = compose_body(ctx, client, args, !draft);
  if (!body) return;
  if (draft) (*body)["draft"] = true;
  auto reply = client.post("/api/v1/messages", *body);
  if (!reply.ok()) return report_failure(ctx, reply);
  if (draft) {
    if (print_json_if_asked(ctx, reply)) return;
    std::printf("saved draft %s\n", text_of(reply.json.at("id")).c_str());
    return;
  }
  print_outcome(ctx, reply, "sent");
}

void edit_draft(ClientContext& ctx, const std::string& id, const ComposeArgs& args) {
  ApiClient client = ctx.client();
  auto body = compose_body(ctx, client, args, false);
  if (!body) return;
  auto reply = client.patch("/api/v1/messages/" + url_encode(id), *body);
  if (!reply.ok()) return report_failure(ctx, reply);
  if (!print_json_if_asked(ctx, reply)) std::printf("updated draft %s\n", id.c_str());
}

void send_draft(ClientContext& ctx, const std::string& id) {
  auto reply = ctx.client().send("POST", "/api/v1/messages/" + url_encode(id) + "/send", nullptr);
  if (!reply.ok()) return report_failure(ctx, reply);
  print_outcome(ctx, reply, "sent");
}

void discard_draft(ClientContext& ctx, const std::string& id) {
  auto reply = ctx.client().del("/api/v1/messages/" + url_encode(id));
  if (!reply.ok()) return report_failure(ctx, reply);
  std::printf("discarded draft %s\n", id.c_str());
}

void add_compose_options(CLI::App* cmd, ComposeArgs& args) {
  cmd->add_option("--to", args.to, "recipients: user:ID, group:ID, all, or a username/group name");
  cmd->add_option("--cc", args.cc, "copy recipients");
  cmd->add_option("--bcc", args.bcc, "hidden recipients");
  cmd->add_option("--subject,-s", args.subject, "subject");
  cmd->add_option("--body,-b", args.body, "body, CommonMark (default: read from standard input)");
  cmd->add_option("--body-file", args.body_file, "read the body from this file");
  cmd->add_flag("--text", args.text, "the body is plain text, not CommonMark");
  cmd->add_option("--attach,-a", args.attach, "files to attach")->check(CLI::ExistingFile);
}

}  // namespace

void add_mail_commands(CLI::App& app, ClientContext& ctx) {
  auto args = std::make_shared<ComposeArgs>();
  auto* send_cmd = app.add_subcommand("send", "write and send a message");
  add_compose_options(send_cmd, *args);
  send_cmd->add_option("--reply-to", args->reply_to, "message id this replies to");
  send_cmd->add_flag("--reply-all", args->reply_all, "with --reply-to: write to everyone on it");
  send_cmd->add_option("--forward-of", args->forward_of, "message id this forwards");
  send_cmd->callback([&ctx, args] { send(ctx, *args, false); });

  auto* draft = app.add_subcommand("draft", "save, edit, send or discard drafts");
  draft->require_subcommand(1);
  auto* save = draft->add_subcommand("save", "save a new draft");
  add_compose_options(save, *args);
  save->callback([&ctx, args] { send(ctx, *args, true); });

  auto id = std::make_shared<std::string>();
  auto* edit = draft->add_subcommand("edit", "change a draft");
  edit->add_option("id", *id, "draft id")->required();
  add_compose_options(edit, *args);
  edit->callback([&ctx, id, args] { edit_draft(ctx, *id, *args); });

  auto* send_one = draft->add_subcommand("send", "send a draft");
  send_one->add_option("id", *id, "draft id")->required();
  send_one->callback([&ctx, id] { send_draft(ctx, *id); });

  auto* discard = draft->add_subcommand("discard", "delete a draft");
  discard->add_option("id", *id, "draft id")->required();
  discard->callback([&ctx, id] { discard_draft(ctx, *id); });
}

}  // namespace herald::cli
