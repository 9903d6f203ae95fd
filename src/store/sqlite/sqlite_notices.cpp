// SqliteStore: notices (the message, bell items and delivery rows in one transaction) and the
// contacts a notice is planned from.

#include <fmt/format.h>

#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

const Query kContactUsers{
    "SELECT id, username, display_name, COALESCE(email, '') FROM users"
    " WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL ORDER BY id"};
// Planning needs a device's id and platform only.
const Query kContactDevices{
    "SELECT id, user_id, platform FROM devices"
    " WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id, id"};
// Delivery rows go in kDeliveryBatch at a time, one statement with a VALUES row each, the rest
// one by one: stepping one statement per row of a large notice costs twice as much.
constexpr int kDeliveryBatch = 64;
constexpr int kDeliveryParams = 7;  // per row, after ?1 (message) and ?2 (time)

std::string delivery_values_sql(int rows) {
  std::string sql =
      "INSERT INTO deliveries (message_id, user_id, channel, device_id, address, status,"
      " next_attempt_at, last_error, created_at, updated_at) VALUES ";
  for (int row = 0; row < rows; ++row) {
    int p = 3 + row * kDeliveryParams;
    sql += fmt::format("{}(?1, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?2, ?2)", row ? ", " : "", p,
                       p + 1, p + 2, p + 3, p + 4, p + 5, p + 6);
  }
  return sql;
}

const std::string kInsertDeliveryBatchSql = delivery_values_sql(kDeliveryBatch);
const std::string kInsertDeliverySql = delivery_values_sql(1);
const Query kInsertDeliveryBatch{kInsertDeliveryBatchSql.c_str()};
const Query kInsertDelivery{kInsertDeliverySql.c_str()};

void bind_delivery(Statement& stmt, int row, const NewDelivery& d, TimeMs at) {
  int p = 3 + row * kDeliveryParams;
  bool queued = d.status == DeliveryStatus::queued;
  stmt.bind(p, d.user_id)
      .bind(p + 1, channel_name(d.channel))
      .bind_optional_id(p + 2, d.device_id)
      .bind(p + 3, d.address)
      .bind(p + 4, delivery_status_name(d.status))
      .bind_optional_id(p + 5, queued ? std::optional<TimeMs>(at) : std::nullopt)
      .bind(p + 6, d.last_error);
}

}  // namespace

void insert_deliveries(Connection& c, Id message, TimeMs at,
                       const std::vector<NewDelivery>& deliveries) {
  std::size_t next = 0;
  if (deliveries.size() >= static_cast<std::size_t>(kDeliveryBatch)) {
    auto batch = c.prepare(kInsertDeliveryBatch);
    for (; next + kDeliveryBatch <= deliveries.size(); next += kDeliveryBatch) {
      batch->bind(1, message).bind(2, at);
      for (int row = 0; row < kDeliveryBatch; ++row) {
        bind_delivery(*batch, row, deliveries[next + row], at);
      }
      batch->run();
      batch->reset();
    }
  }
  auto single = c.prepare(kInsertDelivery);
  for (; next < deliveries.size(); ++next) {
    single->bind(1, message).bind(2, at);
    bind_delivery(*single, 0, deliveries[next], at);
    single->run();
    single->reset();
  }
}

namespace {

const Query kPushContent{"SELECT push_title, push_text, push_url FROM messages WHERE id = ?"};

}  // namespace

std::vector<UserContact> SqliteStore::contacts_of(const std::vector<Id>& users) {
  return read([&](Connection& c) {
    std::string ids = json_id_array(users);
    std::vector<UserContact> out;
    out.reserve(users.size());
    {
      auto stmt = c.prepare(kContactUsers);
      stmt->bind(1, ids);
      while (stmt->step()) {
        UserContact& contact = out.emplace_back();
        contact.user_id = stmt->column_int(0);
        contact.username = stmt->column_text(1);
        contact.display_name = stmt->column_text(2);
        contact.email = stmt->column_text(3);
      }
    }
    // Both lists are in user id order: walk them together.
    auto owner = out.begin();
    auto stmt = c.prepare(kContactDevices);
    stmt->bind(1, ids);
    while (stmt->step()) {
      Device device;
      device.id = stmt->column_int(0);
      device.user_id = stmt->column_int(1);
      device.platform = parse_platform(stmt->column_text(2)).value_or(DevicePlatform::webpush);
      while (owner != out.end() && owner->user_id < device.user_id) ++owner;
      if (owner != out.end() && owner->user_id == device.user_id) {
        owner->devices.push_back(std::move(device));
      }
    }
    return out;
  });
}

Result<MessageRecord> SqliteStore::save_notice(const NewNotice& notice) {
  auto result = write([&](Connection& c) -> Result<MessageRecord> {
    MessageRecord m = notice.message;
    insert_message(c, m, 1, notice.push);
    TimeMs at = m.sent_at.value_or(m.created_at);
    insert_author_copy(c, m, Folder::sent, at);
    insert_bell_items(
        c, m, notice.recipients,
        {notice.notification_title, notice.notification_text, notice.notification_url}, at);
    insert_deliveries(c, m.id, at, notice.deliveries);
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
