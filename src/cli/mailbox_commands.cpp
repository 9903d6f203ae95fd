// herald inbox, read, trash, restore, purge, attachment, bell [read|delete]: the mailbox from the
// terminal.
#include <fstream>

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "cli/cli_app.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

struct ListArgs {
  std::string folder = "inbox";
  bool unread = false;
  int limit = 50;
};

std::string short_date(const boost::json::value& value) {
  std::string text = text_of(value);  // 2026-11-23T14:32:47.938Z
  return text.size() >= 16 ? text.substr(0, 10) + " " + text.substr(11, 5) : text;
}

// "Ann Lee, Year 9": the names of a folder entry's `to`.
std::string recipient_names(const boost::json::value& to) {
  std::string out;
  for (const auto& item : to.as_array()) {
    if (!out.empty()) out += ", ";
    out += text_of(item.at("name"));
  }
  return out;
}

void list_folder(ClientContext& ctx, const ListArgs& args) {
  std::string path = "/api/v1/folders/" + url_encode(args.folder) +
                     "/messages?limit=" + std::to_string(args.limit);
  if (args.unread) path += "&unread=true";
  ApiClient client = ctx.client();
  auto reply = client.get(path);
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  auto folders = client.get("/api/v1/folders");
  if (folders.ok()) {
    for (const auto& item : folders.json.at("items").as_array()) {
      if (text_of(item.at("name")) == args.folder) {
        std::printf("%s: %s message(s), %s unread\n", args.folder.c_str(),
                    text_of(item.at("total")).c_str(), text_of(item.at("unread")).c_str());
      }
    }
  }
  // Sent mail and drafts are listed by whom they are for, the rest by whom they are from.
  bool outgoing = args.folder == "sent" || args.folder == "drafts";
  std::vector<std::vector<std::string>> rows{
      {"", "ID", "DATE", outgoing ? "TO" : "FROM", "SUBJECT"}};
  for (const auto& item : reply.json.at("items").as_array()) {
    const auto& m = item.as_object();
    std::string flags;
    flags += m.at("read").as_bool() ? ' ' : '*';  // unread
    flags += m.at("has_attachments").as_bool() ? '@' : ' ';
    flags += m.at("kind").as_string() == "broadcast" ? 'B' : ' ';
    std::string who = outgoing && m.contains("to") ? recipient_names(m.at("to"))
                                                   : text_of(m.at("from").at("display_name"));
    rows.push_back(
        {flags, text_of(m.at("id")), short_date(m.at("date")), who, text_of(m.at("subject"))});
  }
  print_table(rows);
}

std::string names(const boost::json::value& list) {
  std::string out;
  for (const auto& item : list.as_array()) {
    if (!out.empty()) out += ", ";
    out += text_of(item.at("name")) + " <" + text_of(item.at("address")) + ">";
  }
  return out;
}

void read_message(ClientContext& ctx, const std::string& id, bool keep_unread) {
  ApiClient client = ctx.client();
  auto reply = client.get("/api/v1/messages/" + url_encode(id));
  if (!reply.ok()) return report_failure(ctx, reply);
  if (!keep_unread && !reply.json.at("read").as_bool()) {
    auto marked = client.send("POST", "/api/v1/messages/" + url_encode(id) + "/read", nullptr);
    if (!marked.ok()) return report_failure(ctx, marked);
  }
  if (print_json_if_asked(ctx, reply)) return;
  const auto& m = reply.json.as_object();
  const auto& from = m.at("from").as_object();
  std::printf("From:    %s <user:%s>\n", text_of(from.at("display_name")).c_str(),
              text_of(from.at("id")).c_str());
  std::printf("To:      %s\n", names(m.at("to")).c_str());
  if (!m.at("cc").as_array().empty()) std::printf("Cc:      %s\n", names(m.at("cc")).c_str());
  if (m.contains("bcc")) std::printf("Bcc:     %s\n", names(m.at("bcc")).c_str());
  std::printf("Date:    %s\n", text_of(m.at("sent_at")).c_str());
  std::printf("Subject: %s\n\n%s\n", text_of(m.at("subject")).c_str(),
              text_of(m.at("body")).c_str());
  for (const auto& a : m.at("attachments").as_array()) {
    std::printf("[attachment %s: %s, %s, %s bytes]\n", text_of(a.at("id")).c_str(),
                text_of(a.at("name")).c_str(), text_of(a.at("type")).c_str(),
                text_of(a.at("size")).c_str());
  }
  const auto& thread = m.at("thread").as_array();
  if (thread.size() > 1) {
    std::printf("\nThread (%zu messages):\n", thread.size());
    for (const auto& t : thread) {
      std::printf("  %s %s  %s\n", text_of(t.at("id")) == id ? ">" : " ",
                  text_of(t.at("id")).c_str(), text_of(t.at("subject")).c_str());
    }
  }
}

void act(ClientContext& ctx, const std::vector<std::string>& ids, const char* action,
         const char* done) {
  boost::json::array list;
  for (const auto& id : ids) list.push_back(boost::json::value(id));
  auto reply = ctx.client().post("/api/v1/messages/actions",
                                 boost::json::object{{"ids", std::move(list)}, {"action", action}});
  if (!reply.ok()) return report_failure(ctx, reply);
  std::printf("%s %zu message(s)\n", done, ids.size());
}

void save_attachment(ClientContext& ctx, const std::string& id, std::string output) {
  auto reply = ctx.client().get("/api/v1/blobs/" + url_encode(id));
  if (!reply.ok()) return report_failure(ctx, reply);
  if (output.empty()) output = id;
  std::ofstream out(output, std::ios::binary);
  out << reply.body;
  if (!out.flush()) {
    print_error("cannot write " + output);
    ctx.exit_code = 1;
    return;
  }
  std::printf("saved %zu bytes to %s\n", reply.body.size(), output.c_str());
}

void bell(ClientContext& ctx) {
  auto reply = ctx.client().get("/api/v1/notifications");
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  std::printf("%s unread\n", text_of(reply.json.at("unread")).c_str());
  std::vector<std::vector<std::string>> rows{{"", "ID", "DATE", "TITLE", "TEXT"}};
  for (const auto& item : reply.json.at("items").as_array()) {
    rows.push_back({item.at("read").as_bool() ? " " : "*", text_of(item.at("id")),
                    short_date(item.at("created_at")), text_of(item.at("title")),
                    text_of(item.at("text"))});
  }
  print_table(rows);
}

void mark_bell_item_read(ClientContext& ctx, const std::string& id) {
  auto reply =
      ctx.client().send("POST", "/api/v1/notifications/" + url_encode(id) + "/read", nullptr);
  if (!reply.ok()) return report_failure(ctx, reply);
  std::printf("marked notification %s read\n", id.c_str());
}

void delete_bell_item(ClientContext& ctx, const std::string& id) {
  auto reply = ctx.client().del("/api/v1/notifications/" + url_encode(id));
  if (!reply.ok()) return report_failure(ctx, reply);
  std::printf("deleted notification %s\n", id.c_str());
}

}  // namespace

void add_mailbox_commands(CLI::App& app, ClientContext& ctx) {
  auto list_args = std::make_shared<ListArgs>();
  auto* inbox = app.add_subcommand("inbox", "list a folder (* unread, @ attachments, B broadcast)");
  inbox->add_option("--folder,-f", list_args->folder, "inbox, sent, drafts or trash")
      ->check(CLI::IsMember({"inbox", "sent", "drafts", "trash"}));
  inbox->add_flag("--unread,-u", list_args->unread, "unread messages only");
  inbox->add_option("--limit,-n", list_args->limit, "how many")->check(CLI::Range(1, 200));
  inbox->callback([&ctx, list_args] { list_folder(ctx, *list_args); });

  auto id = std::make_shared<std::string>();
  auto keep_unread = std::make_shared<bool>(false);
  auto* read = app.add_subcommand("read", "show a message and mark it read");
  read->add_option("id", *id, "message id")->required();
  read->add_flag("--keep-unread", *keep_unread, "do not mark it read");
  read->callback([&ctx, id, keep_unread] { read_message(ctx, *id, *keep_unread); });

  auto ids = std::make_shared<std::vector<std::string>>();
  struct Action {
    const char* command;
    const char* help;
    const char* action;
    const char* done;
  };
  for (const Action& a :
       {Action{"trash", "move messages to trash", "trash", "moved to trash"},
        Action{"restore", "put messages back from trash", "restore", "restored"},
        Action{"purge", "delete messages in trash for good", "delete", "deleted"}}) {
    auto* cmd = app.add_subcommand(a.command, a.help);
    cmd->add_option("ids", *ids, "message ids")->required();
    cmd->callback([&ctx, ids, a] { act(ctx, *ids, a.action, a.done); });
  }

  auto output = std::make_shared<std::string>();
  auto* attachment = app.add_subcommand("attachment", "download an attachment");
  attachment->add_option("id", *id, "attachment id")->required();
  attachment->add_option("--output,-o", *output, "file to write (default: the id)");
  attachment->callback([&ctx, id, output] { save_attachment(ctx, *id, *output); });

  auto* bell_cmd =
      app.add_subcommand("bell", "list your notifications (* unread), or read|delete one");
  bell_cmd->require_subcommand(0, 1);
  // CLI11 runs a parent's callback after its subcommand's: list only when none was given.
  bell_cmd->callback([&ctx, bell_cmd] {
    if (bell_cmd->get_subcommands().empty()) bell(ctx);
  });
  auto bell_id = std::make_shared<std::string>();
  auto* bell_read = bell_cmd->add_subcommand("read", "mark a notification read");
  bell_read->add_option("id", *bell_id, "notification id, as 'bell' lists it")->required();
  bell_read->callback([&ctx, bell_id] { mark_bell_item_read(ctx, *bell_id); });
  auto* bell_delete = bell_cmd->add_subcommand("delete", "delete a notification");
  bell_delete->add_option("id", *bell_id, "notification id, as 'bell' lists it")->required();
  bell_delete->callback([&ctx, bell_id] { delete_bell_item(ctx, *bell_id); });
}

}  // namespace herald::cli
