// SqliteStore: notices (the message, bell items and delivery rows in one transaction) and the
// contacts a notice is planned from.
#include <unordered_map>

#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

const Query kContactUsers{
    "SELECT id, username, display_name, COALESCE(email, '') FROM users"
    " WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL"};
const Query kContactDevices{
    "SELECT id, user_id, platform, name, address, p256dh, auth, created_at FROM devices"
    " WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id, id"};
const Query kInsertDelivery{
    "INSERT INTO deliveries (message_id, user_id, channel, device_id, address, status,"
    " next_attempt_at, last_error, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
    " ?8, ?9, ?9)"};
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
        Device device = read_device(*stmt);
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
    auto insert = c.prepare(kInsertDelivery);
    for (const auto& delivery : notice.deliveries) {
      bool queued = delivery.status == DeliveryStatus::queued;
      insert->bind(1, m.id)
          .bind(2, delivery.user_id)
          .bind(3, channel_name(delivery.channel))
          .bind_optional_id(4, delivery.device_id)
          .bind(5, delivery.address)
          .bind(6, delivery_status_name(delivery.status))
          .bind_optional_id(7, queued ? std::optional<TimeMs>(at) : std::nullopt)
          .bind(8, delivery.last_error)
          .bind(9, at);
      insert->run();
      insert->reset();
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
