// herald devices list|add|remove: the devices that receive push notifications.
#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "cli/cli_app.hpp"
#include "cli/output.hpp"

namespace herald::cli {
namespace {

void list_devices(ClientContext& ctx, const std::string& user) {
  std::vector<std::vector<std::string>> rows{
      {"ID", "PLATFORM", "NAME", "ENDPOINT OR TOKEN", "REGISTERED"}};
  std::string path = "/api/v1/devices?limit=200";
  if (!user.empty()) path += "&user=" + url_encode(user);
  bool listed = for_each_item(ctx, path, [&](const boost::json::object& d) {
    const auto* address =
        d.contains("endpoint") ? d.if_contains("endpoint") : d.if_contains("token");
    rows.push_back({text_of(d.at("id")), text_of(d.at("platform")), text_of(d.at("name")),
                    address ? shortened(text_of(*address), 48) : "",
                    text_of(d.at("created_at")).substr(0, 10)});
  });
  if (listed) print_table(rows);
}

struct AddArgs {
  std::string platform;
  std::string name;
  std::string token;
  std::string subscription;  // a file holding a PushSubscription's JSON, or "-"
};

void add_device(ClientContext& ctx, const AddArgs& args) {
  boost::json::object body;
  if (args.platform == "webpush") {
    if (args.subscription.empty()) {
      std::cerr << "herald: a webpush device needs --subscription FILE (the browser's "
                   "PushSubscription as JSON, or - for stdin)\n";
      ctx.exit_code = 2;
      return;
    }
    std::string text;
    if (args.subscription == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream file(args.subscription);
      if (!file) {
        std::cerr << "herald: cannot read " << args.subscription << "\n";
        ctx.exit_code = 1;
        return;
      }
      text.assign(std::istreambuf_iterator<char>(file), {});
    }
    boost::system::error_code ec;
    auto parsed = boost::json::parse(text, ec);
    if (ec || !parsed.is_object()) {
      std::cerr << "herald: the subscription is not a JSON object\n";
      ctx.exit_code = 1;
      return;
    }
    body = parsed.as_object();
  } else if (!args.token.empty()) {
    body["token"] = args.token;
  } else {
    std::cerr << "herald: an " << args.platform << " device needs --token TOKEN\n";
    ctx.exit_code = 2;
    return;
  }
  body["platform"] = args.platform;
  if (!args.name.empty()) body["name"] = args.name;
  auto reply = ctx.client().post("/api/v1/devices", body);
  if (!reply.ok()) return report_failure(ctx, reply);
  if (print_json_if_asked(ctx, reply)) return;
  fmt::print("{} device {}\n", reply.status == 201 ? "registered" : "updated",
             text_of(reply.json.at("id")));
}

void remove_device(ClientContext& ctx, const std::string& id) {
  auto reply = ctx.client().del("/api/v1/devices/" + url_encode(id));
  if (!reply.ok()) return report_failure(ctx, reply);
  fmt::print("removed device {}\n", id);
}

}  // namespace

void add_device_commands(CLI::App& app, ClientContext& ctx) {
  auto* devices = app.add_subcommand("devices", "the devices that receive push notifications");
  devices->require_subcommand(1);

  auto user = std::make_shared<std::string>();
  auto* list = devices->add_subcommand("list", "list your devices (admins: anyone's)");
  list->add_option("--user,-u", *user, "the user id whose devices to list (admins)");
  list->callback([&ctx, user] { list_devices(ctx, *user); });

  auto args = std::make_shared<AddArgs>();
  auto* add = devices->add_subcommand("add", "register a device of yours");
  add->add_option("--platform,-p", args->platform, "webpush, apns or fcm")
      ->required()
      ->check(CLI::IsMember({"webpush", "apns", "fcm"}));
  add->add_option("--name,-n", args->name, "a name to know it by");
  add->add_option("--token,-t", args->token, "apns, fcm: the device or registration token");
  add->add_option("--subscription,-s", args->subscription,
                  "webpush: a file with the browser's PushSubscription JSON, or - for stdin");
  add->callback([&ctx, args] { add_device(ctx, *args); });

  auto id = std::make_shared<std::string>();
  auto* remove = devices->add_subcommand("remove", "remove a device");
  remove->add_option("id", *id, "device id, as in 'devices list'")->required();
  remove->callback([&ctx, id] { remove_device(ctx, *id); });
}

}  // namespace herald::cli
