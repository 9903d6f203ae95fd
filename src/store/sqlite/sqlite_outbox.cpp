// SqliteStore: the outbox. Workers claim due rows with a lease, send them outside any
// transaction, and record the outcomes in one write per batch.
#include <unordered_map>

#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

const Query kListDeliveries{
    "SELECT d.id, d.message_id, d.user_id, COALESCE(u.username, ''), d.channel, d.device_id,"
    " d.address, d.status, d.attempts, d.last_error, d.next_attempt_at, d.created_at,"
    " d.updated_at FROM deliveries d LEFT JOIN users u ON u.id = d.user_id"
    " WHERE d.message_id = ? AND d.id > ? ORDER BY d.id LIMIT ?"};
// A claim walks the due rows in order. The rows of a retracted broadcast are cancelled from its
// retraction on: a claim that meets them marks them so (the fan-out does the same in bulk)
// rather than skipping them, so that no claim scans past a retracted broadcast's rows.
const Query kDueRows{
    "SELECT id, message_id FROM deliveries WHERE status = 'queued' AND channel = ?1"
    " AND next_attempt_at <= ?2 ORDER BY next_attempt_at, id LIMIT ?3"};
const Query kRetractedBroadcast{
    "SELECT 1 FROM broadcasts WHERE message_id = ? AND retracted_at IS NOT NULL"};
const Query kCancelRow{
    "UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?2"
    " WHERE id = ?1"};
const Query kLeaseRow{
    "UPDATE deliveries SET attempts = attempts + 1, leased = 1, next_attempt_at = ?2 + ?3,"
    " updated_at = ?2 WHERE id = ?1"};
constexpr int kDueWindow = 64;   // due rows read at a time
constexpr int kDueWindows = 32;  // at most this many windows per claim
// A device that changed hands since the row was queued is not the recipient's any more.
const Query kJobDetails{
    "SELECT d.id, d.message_id, d.channel, d.attempts, d.user_id, u.display_name, d.address,"
    " a.display_name, m.subject, m.body, m.body_html, m.push_title, m.push_text, m.push_url,"
    " v.id, v.user_id, v.platform, v.name, v.address, v.p256dh, v.auth, v.created_at"
    " FROM deliveries d JOIN messages m ON m.id = d.message_id"
    " JOIN users u ON u.id = d.user_id JOIN users a ON a.id = m.author_id"
    " LEFT JOIN devices v ON v.id = d.device_id AND v.user_id = d.user_id"
    " WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id"};
// A row cancelled while its send was in flight records what the send did, but a retry does
// not bring it back.
const Query kRecord{
    "UPDATE deliveries SET"
    " status = CASE WHEN status = 'cancelled' AND ?1 = 'queued' THEN 'cancelled' ELSE ?1 END,"
    " last_error = ?2, leased = 0,"
    " next_attempt_at = CASE WHEN status = 'cancelled' AND ?1 = 'queued' THEN NULL ELSE ?3 END,"
    " updated_at = ?4 WHERE id = ?5"};
const Query kRemoveDevice{"DELETE FROM devices WHERE id = ?"};
const Query kRelease{
    "UPDATE deliveries SET leased = 0, next_attempt_at = ?1 WHERE status = 'queued' AND leased = "
    "1"};
const Query kNextDue{
    "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'queued' AND channel = ?"};

DeliveryStatus parse_status(const std::string& text) {
  for (auto status :
       {DeliveryStatus::queued, DeliveryStatus::sent, DeliveryStatus::failed,
        DeliveryStatus::no_device, DeliveryStatus::no_address, DeliveryStatus::cancelled}) {
    if (text == delivery_status_name(status)) return status;
  }
  return DeliveryStatus::failed;
}

DeliveryJob read_job(const Statement& stmt) {
  DeliveryJob job;
  job.id = stmt.column_int(0);
  job.message_id = stmt.column_int(1);
  job.channel = parse_channel(stmt.column_text(2)).value_or(DeliveryChannel::email);
  job.attempts = static_cast<int>(stmt.column_int(3));
  job.user_id = stmt.column_int(4);
  job.recipient_name = stmt.column_text(5);
  job.address = stmt.column_text(6);
  job.author_name = stmt.column_text(7);
  job.subject = stmt.column_text(8);
  job.body = stmt.column_text(9);
  job.body_html = stmt.column_text(10);
  if (!stmt.column_is_null(12)) {
    job.push =
        PushContent{stmt.column_text(11), stmt.column_text(12), stmt.column_optional_text(13)};
  }
  if (!stmt.column_is_null(14)) job.device = read_device(stmt, 14);
  return job;
}

}  // namespace

Page<DeliveryRecord> SqliteStore::list_deliveries(Id message, const PageRequest& page_request) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kListDeliveries);
    stmt->bind(1, message).bind(2, page_request.after).bind(3, page_request.limit + 1);
    Page<DeliveryRecord> page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == page_request.limit) {
        page.next_after = page.items.back().id;
        break;
      }
      DeliveryRecord d;
      d.id = stmt->column_int(0);
      d.message_id = stmt->column_int(1);
      d.user_id = stmt->column_int(2);
      d.username = stmt->column_text(3);
      d.channel = parse_channel(stmt->column_text(4)).value_or(DeliveryChannel::email);
      if (!stmt->column_is_null(5)) d.device_id = stmt->column_int(5);
      d.address = stmt->column_text(6);
      d.status = parse_status(stmt->column_text(7));
      d.attempts = static_cast<int>(stmt->column_int(8));
      d.last_error = stmt->column_text(9);
      if (!stmt->column_is_null(10)) d.next_attempt_at = stmt->column_int(10);
      d.created_at = stmt->column_int(11);
      d.updated_at = stmt->column_int(12);
      page.items.push_back(std::move(d));
    }
    return page;
  });
}

std::vector<DeliveryJob> SqliteStore::claim_deliveries(DeliveryChannel channel, TimeMs now,
                                                       TimeMs lease_ms, int limit) {
  auto claimed = write([&](Connection& c) -> Result<std::vector<Id>> {
    std::vector<Id> ids;
    std::unordered_map<Id, bool> retracted;  // by message
    auto is_retracted = [&](Id message) {
      auto [it, fresh] = retracted.try_emplace(message, false);
      if (fresh) {
        auto stmt = c.prepare(kRetractedBroadcast);
        stmt->bind(1, message);
        it->second = stmt->step();
      }
      return it->second;
    };
    for (int window = 0; window < kDueWindows && static_cast<int>(ids.size()) < limit; ++window) {
      std::vector<std::pair<Id, Id>> due;  // row, message
      {
        auto stmt = c.prepare(kDueRows);
        stmt->bind(1, channel_name(channel)).bind(2, now).bind(3, kDueWindow);
        while (stmt->step()) due.emplace_back(stmt->column_int(0), stmt->column_int(1));
      }
      bool cancelled_any = false;
      for (const auto& [row, message] : due) {
        if (is_retracted(message)) {
          c.prepare(kCancelRow)->bind(1, row).bind(2, now).run();
          cancelled_any = true;
        } else if (static_cast<int>(ids.size()) < limit) {
          c.prepare(kLeaseRow)->bind(1, row).bind(2, now).bind(3, lease_ms).run();
          ids.push_back(row);
        }
      }
      // Another window only helps past cancelled rows, and only when there are more.
      if (!cancelled_any || static_cast<int>(due.size()) < kDueWindow) break;
    }
    return ids;
  });
  if (!claimed || claimed->empty()) return {};
  return read([&](Connection& c) {
    std::vector<DeliveryJob> jobs;
    {
      auto stmt = c.prepare(kJobDetails);
      stmt->bind(1, json_id_array(*claimed));
      while (stmt->step()) jobs.push_back(read_job(*stmt));
    }
    if (channel == DeliveryChannel::email) {
      std::unordered_map<Id, std::vector<AttachmentRef>> by_message;
      for (auto& job : jobs) {
        auto it = by_message.find(job.message_id);
        if (it == by_message.end()) {
          it = by_message.emplace(job.message_id, load_attachments(c, job.message_id)).first;
        }
        job.attachments = it->second;
      }
    }
    return jobs;
  });
}

Result<void> SqliteStore::record_deliveries(const std::vector<DeliveryResult>& results,
                                            TimeMs now) {
  return write([&](Connection& c) -> Result<void> {
    auto record = c.prepare(kRecord);
    for (const auto& result : results) {
      bool queued = result.status == DeliveryStatus::queued;
      record->bind(1, delivery_status_name(result.status))
          .bind(2, result.error)
          .bind_optional_id(3,
                            queued ? std::optional<TimeMs>(result.next_attempt_at) : std::nullopt)
          .bind(4, now)
          .bind(5, result.id);
      record->run();
      record->reset();
      if (result.remove_device) c.prepare(kRemoveDevice)->bind(1, *result.remove_device).run();
    }
    return {};
  });
}

Result<void> SqliteStore::release_deliveries(TimeMs now) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kRelease)->bind(1, now).run();
    return {};
  });
}

std::optional<TimeMs> SqliteStore::next_delivery_due(DeliveryChannel channel) {
  return read([&](Connection& c) -> std::optional<TimeMs> {
    auto stmt = c.prepare(kNextDue);
    stmt->bind(1, channel_name(channel));
    if (!stmt->step() || stmt->column_is_null(0)) return std::nullopt;
    return stmt->column_int(0);
  });
}

}  // namespace herald::sqlite
