// SqliteStore: the work a broadcast owes after its send commits. The delivery rows of its
// recipients are written a slice at a time, each slice in its own transaction that moves the
// broadcast's cursor; after a retraction, its queued rows are cancelled and its recipient rows
// deleted a slice at a time. The message itself stays, with no copy left, so that its author
// and admins still see what became of its deliveries.
#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

const Query kNextWork{
    "SELECT message_id, channels, pending, fanout_after FROM broadcasts WHERE pending <> 0"
    " ORDER BY message_id LIMIT 1"};
const Query kRecipientSlice{
    "SELECT user_id FROM broadcast_recipients WHERE message_id = ? AND user_id > ?"
    " ORDER BY user_id LIMIT ?"};
const Query kCursorStill{
    "SELECT 1 FROM broadcasts WHERE message_id = ? AND pending = 1 AND fanout_after = ?"};
const Query kMoveCursor{
    "UPDATE broadcasts SET fanout_after = ?1, pending = ?2 WHERE message_id = ?3"};
// After a retraction fanout_after walks the delivery rows by id, so that each slice starts
// where the last one stopped instead of skipping every row already cancelled.
const Query kCleanupCursor{"SELECT fanout_after FROM broadcasts WHERE message_id = ?"};
const Query kDeliverySliceEnd{
    "SELECT max(id) FROM (SELECT id FROM deliveries WHERE message_id = ?1 AND id > ?2"
    " ORDER BY id LIMIT ?3)"};
const Query kCancelQueued{
    "UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?4"
    " WHERE message_id = ?1 AND id > ?2 AND id <= ?3 AND status = 'queued'"};
const Query kMoveCleanupCursor{"UPDATE broadcasts SET fanout_after = ? WHERE message_id = ?"};
const Query kDeleteRecipients{
    "DELETE FROM broadcast_recipients WHERE message_id = ?1 AND user_id IN"
    " (SELECT user_id FROM broadcast_recipients WHERE message_id = ?1 LIMIT ?2)"};
const Query kCleaned{"UPDATE broadcasts SET pending = 0 WHERE message_id = ?"};

}  // namespace

std::optional<FanoutBatch> SqliteStore::next_fanout_batch(int limit) {
  std::vector<Id> users;
  auto batch = read([&](Connection& c) -> std::optional<FanoutBatch> {
    FanoutBatch out;
    {
      auto stmt = c.prepare(kNextWork);
      if (!stmt->step()) return std::nullopt;
      out.message_id = stmt->column_int(0);
      out.channels = BroadcastChannels::from_bits(static_cast<int>(stmt->column_int(1)));
      out.retracted = stmt->column_int(2) == 2;
      out.after_user = stmt->column_int(3);
    }
    if (out.retracted) return out;
    auto slice = c.prepare(kRecipientSlice);
    slice->bind(1, out.message_id).bind(2, out.after_user).bind(3, limit);
    while (slice->step()) users.push_back(slice->column_int(0));
    out.last = static_cast<int>(users.size()) < limit;
    out.last_user = users.empty() ? out.after_user : users.back();
    return out;
  });
  if (batch && !batch->retracted && !users.empty()) batch->contacts = contacts_of(users);
  return batch;
}

Result<bool> SqliteStore::record_fanout_batch(const FanoutBatch& batch,
                                              const std::vector<NewDelivery>& deliveries) {
  return write([&](Connection& c) -> Result<bool> {
    {
      auto still = c.prepare(kCursorStill);
      still->bind(1, batch.message_id).bind(2, batch.after_user);
      if (!still->step()) return false;
    }
    insert_deliveries(c, batch.message_id, system_now_ms(), deliveries);
    c.prepare(kMoveCursor)
        ->bind(1, batch.last_user)
        .bind(2, std::int64_t{batch.last ? 0 : 1})
        .bind(3, batch.message_id)
        .run();
    return true;
  });
}

Result<bool> SqliteStore::clean_retracted(Id message, int limit) {
  return write([&](Connection& c) -> Result<bool> {
    Id after = 0;
    {
      auto cursor = c.prepare(kCleanupCursor);
      cursor->bind(1, message);
      if (cursor->step()) after = cursor->column_int(0);
    }
    std::optional<Id> end;
    {
      auto slice = c.prepare(kDeliverySliceEnd);
      slice->bind(1, message).bind(2, after).bind(3, limit);
      if (slice->step() && !slice->column_is_null(0)) end = slice->column_int(0);
    }
    if (end) {
      // A row leased before the retraction may be in a worker's hands: the worker's record of
      // what became of it overwrites this.
      c.prepare(kCancelQueued)
          ->bind(1, message)
          .bind(2, after)
          .bind(3, *end)
          .bind(4, system_now_ms())
          .run();
      c.prepare(kMoveCleanupCursor)->bind(1, *end).bind(2, message).run();
      return false;
    }
    c.prepare(kDeleteRecipients)->bind(1, message).bind(2, limit).run();
    if (c.changes() == limit) return false;
    c.prepare(kCleaned)->bind(1, message).run();
    return true;
  });
}

}  // namespace herald::sqlite
