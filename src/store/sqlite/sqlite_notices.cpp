// SqliteStore: notices (the message, bell items and delivery rows in one transaction) and the
// contacts a notice is planned from.
#include <iterator>
#include <unordered_map>

#include <fmt/format.h>

#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

const Query kContactUsers{
    "SELECT id, username, display_name, COALESCE(email, '') FROM users"
    " WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL"};
// Planning needs a device's id and platform only.
const Query kContactDevices{
    "SELECT id, user_id, platform FROM devices"
    " WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id, id"};
// Every row in one statement, from [[user, channel, device, address, status, error], ...]:
// stepping one prepared statement per row costs twice as much.
const Query kInsertDeliveries{
    "INSERT INTO deliveries (message_id, user_id, channel, device_id, address, status,"
    " next_attempt_at, last_error, created_at, updated_at)"
    " SELECT ?1, value->>0, value->>1, value->>2, value->>3, value->>4,"
    " CASE WHEN value->>4 = 'queued' THEN ?2 END, value->>5, ?2, ?2 FROM json_each(?3)"};

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

std::string deliveries_json(const std::vector<NewDelivery>& deliveries) {
  std::string out;
  out.reserve(deliveries.size() * 64 + 2);
  out.push_back('[');
  for (const auto& d : deliveries) {
    if (out.size() > 1) out.push_back(',');
    fmt::format_to(std::back_inserter(out), "[{},\"{}\",", d.user_id, channel_name(d.channel));
    if (d.device_id) {
      fmt::format_to(std::back_inserter(out), "{},", *d.device_id);
    } else {
      out += "null,";
    }
    append_json_string(out, d.address);
    fmt::format_to(std::back_inserter(out), ",\"{}\",", delivery_status_name(d.status));
    append_json_string(out, d.last_error);
    out.push_back(']');
  }
  out.push_back(']');
  return out;
}
const Query kPushContent{"SELECT push_title, push_text, push_url FROM messages WHERE id = ?"};

}  // namespace

std::vector<UserContact> SqliteStore::contacts_of(const std::vector<Id>& users) {
  return read([&](Connection& c) {
    std::string ids = json_id_array(users);
    std::unordered_map<Id, UserContact> by_id;
    {
      auto stmt = c.prepare(kContactUsers);
      stmt->bind(1, ids);
      while (stmt->step()) {
        UserContact contact;
        contact.user_id = stmt->column_int(0);
        contact.username = stmt->column_text(1);
        contact.display_name = stmt->column_text(2);
        contact.email = stmt->column_text(3);
        by_id.emplace(contact.user_id, std::move(contact));
      }
    }
    {
      auto stmt = c.prepare(kContactDevices);
      stmt->bind(1, ids);
      while (stmt->step()) {
        Device device;
        device.id = stmt->column_int(0);
        device.user_id = stmt->column_int(1);
        device.platform = parse_platform(stmt->column_text(2)).value_or(DevicePlatform::webpush);
        if (auto it = by_id.find(device.user_id); it != by_id.end()) {
          it->second.devices.push_back(std::move(device));
        }
      }
    }
    std::vector<UserContact> out;
    out.reserve(by_id.size());
    for (Id user : users) {
      if (auto it = by_id.find(user); it != by_id.end()) out.push_back(std::move(it->second));
    }
    return out;
  });
}

Result<MessageRecord> SqliteStore::save_notice(const NewNotice& notice) {
  auto result = write([&](Connection& c) -> Result<MessageRecord> {
    MessageRecord m = notice.message;
    insert_message(c, m, notice.push);
    TimeMs at = m.sent_at.value_or(m.created_at);
    insert_author_copy(c, m, Folder::sent, at);
    if (!notice.recipients.empty()) {
      insert_bell_items(
          c, m, json_id_array(notice.recipients),
          {notice.notification_title, notice.notification_text, notice.notification_url}, at);
    }
    if (!notice.deliveries.empty()) {
      c.prepare(kInsertDeliveries)
          ->bind(1, m.id)
          .bind(2, at)
          .bind(3, deliveries_json(notice.deliveries))
          .run();
    }
    return m;
  });
  if (!notice.recipients.empty()) user_mirror_.invalidate(notice.recipients);
  return result;
}

std::optional<PushContent> SqliteStore::push_content(Id message) {
  return read([&](Connection& c) -> std::optional<PushContent> {
    auto stmt = c.prepare(kPushContent);
    stmt->bind(1, message);
    if (!stmt->step() || stmt->column_is_null(1)) return std::nullopt;
    return PushContent{stmt->column_text(0), stmt->column_text(1), stmt->column_optional_text(2)};
  });
}

}  // namespace herald::sqlite
