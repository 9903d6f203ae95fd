#include "cli/listen_output.hpp"

#include <initializer_list>
#include <string_view>

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include "cli/output.hpp"

namespace herald::cli {
namespace {

// The value at `path` in `event` as text, or "?" when the server left it out.
std::string field(const boost::json::object& event, std::initializer_list<std::string_view> path) {
  const boost::json::value* at = nullptr;
  const boost::json::object* object = &event;
  for (std::string_view key : path) {
    if (!object) return "?";
    at = object->if_contains(key);
    if (!at) return "?";
    object = at->if_object();
  }
  std::string text = at ? text_of(*at) : "?";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return text;
}

}  // namespace

std::string describe_drop_reason(const std::string& reason) {
  if (reason == "dropped_by_admin") return "by an admin";
  if (reason == "slow_consumer") return "because events were not read fast enough";
  if (reason == "server_shutdown") return "because the server is shutting down";
  return "(" + reason + ")";
}

std::string describe_event(const boost::json::object& event) {
  std::string type = field(event, {"type"});
  if (type == "welcome") {
    return fmt::format("connected as {} (session {})", field(event, {"user", "username"}),
                       field(event, {"session"}));
  }
  if (type == "alert") {
    return fmt::format("alert from {}: {}", field(event, {"from", "username"}),
                       field(event, {"text"}));
  }
  if (type == "message.new") {
    bool attachments = false;
    if (const auto* message = event.if_contains("message"); message && message->is_object()) {
      const auto* has = message->as_object().if_contains("has_attachments");
      attachments = has && has->is_bool() && has->get_bool();
    }
    return fmt::format("new mail {} from {} ({}): {}{}", field(event, {"message", "id"}),
                       field(event, {"message", "from", "display_name"}),
                       field(event, {"message", "from", "username"}),
                       field(event, {"message", "subject"}), attachments ? " [attachments]" : "");
  }
  if (type == "message.retracted") {
    return fmt::format("mail {} retracted", field(event, {"message"}));
  }
  if (type == "notification.new") {
    return fmt::format("notification: {}: {}", field(event, {"notification", "title"}),
                       field(event, {"notification", "text"}));
  }
  if (type == "counts") {
    return fmt::format("unread: {} in inbox, {} notifications", field(event, {"inbox"}),
                       field(event, {"notifications"}));
  }
  if (type == "session.dropped") {
    return "session dropped " + describe_drop_reason(field(event, {"reason"}));
  }
  if (type == "error") {
    return fmt::format("error from the server: {} ({})", field(event, {"message"}),
                       field(event, {"code"}));
  }
  return fmt::format("{} event: {}", type, boost::json::serialize(event));
}

}  // namespace herald::cli
