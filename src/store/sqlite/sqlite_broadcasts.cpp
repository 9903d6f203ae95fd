// SqliteStore: sending, listing and retracting broadcasts. A send writes the message once and
// one row per recipient keyed (broadcast, user), so that 100,000 recipients append about 300
// pages instead of touching a page of every recipient's mailbox; retraction marks the broadcast
// and leaves the bulk of the clean-up to the fan-out (sqlite_broadcast_fanout.cpp).
#include <limits>

#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

const Query kInsertSharedBell{
    "INSERT INTO notifications (user_id, kind, message_id, title, text, url, is_read, created_at)"
    " VALUES (0, 'broadcast', ?1, ?2, ?3, ?4, 0, ?5)"};
const Query kSetPushUrl{"UPDATE messages SET push_url = ?1 WHERE id = ?2"};
const Query kInsertRecipients{
    "INSERT INTO broadcast_recipients (message_id, user_id) SELECT ?1, value FROM json_each(?2)"};
const Query kInsertBroadcast{
    "INSERT INTO broadcasts (message_id, author_id, channels, sent_at, recipients, bell_id,"
    " pending) VALUES (?, ?, ?, ?, ?, ?, ?)"};

#define HERALD_BROADCAST_SELECT                                                                 \
  "SELECT m.id, m.kind, m.author_id, m.thread_id, m.parent_id, m.subject, m.body, m.body_html," \
  " m.snippet, m.to_addresses, m.cc_addresses, m.bcc_addresses, m.is_draft, m.created_at,"      \
  " m.sent_at, b.channels, b.recipients, b.read_count, b.replied_count, b.pending,"             \
  " u.id, u.username, u.display_name, u.email, u.role, u.created_at"                            \
  " FROM broadcasts b JOIN messages m ON m.id = b.message_id JOIN users u ON u.id = b.author_id"

const Query kFindBroadcast{HERALD_BROADCAST_SELECT
                           " WHERE b.message_id = ? AND b.retracted_at IS NULL"};
const Query kListBroadcasts{HERALD_BROADCAST_SELECT
                            " WHERE b.author_id = ?1 AND b.retracted_at IS NULL"
                            " AND b.message_id < ?2 ORDER BY b.message_id DESC LIMIT ?3"};
#undef HERALD_BROADCAST_SELECT

// One pass over the recipient rows with a probe of users and two of devices each: about 150 ms
// for 100,000 recipients here, a third of what reading their contacts costs.
const Query kReach{
    "SELECT count(*), COALESCE(sum(u.email IS NOT NULL AND u.email <> ''), 0),"
    " COALESCE(sum(EXISTS (SELECT 1 FROM devices d WHERE d.user_id = r.user_id)), 0),"
    " COALESCE(sum(EXISTS (SELECT 1 FROM devices d WHERE d.user_id = r.user_id"
    " AND d.platform IN (SELECT value FROM json_each(?2)))), 0)"
    " FROM broadcast_recipients r JOIN users u ON u.id = r.user_id WHERE r.message_id = ?1"};
const Query kRetracted{
    "SELECT 1 FROM broadcasts WHERE message_id = ? AND retracted_at IS NOT NULL"};
const Query kRecipients{
    "SELECT r.user_id, u.username, u.display_name, r.read_at, r.replied_at, r.reply_thread"
    " FROM broadcast_recipients r JOIN users u ON u.id = r.user_id"
    " WHERE r.message_id = ?1 AND r.user_id > ?2"
    " AND (?3 = 0 OR (?3 = 1 AND r.read_at IS NOT NULL) OR (?3 = 2 AND r.read_at IS NULL)"
    " OR (?3 = 3 AND r.replied_at IS NOT NULL)) ORDER BY r.user_id LIMIT ?4"};
const Query kRecipientIds{
    "SELECT user_id FROM broadcast_recipients WHERE message_id = ? ORDER BY user_id"};
const Query kLiveBroadcast{
    "SELECT author_id, bell_id FROM broadcasts WHERE message_id = ? AND retracted_at IS NULL"};
const Query kMarkRetracted{
    "UPDATE broadcasts SET retracted_at = ?1, pending = 2, fanout_after = 0"
    " WHERE message_id = ?2"};
const Query kDeleteSharedBell{"DELETE FROM notifications WHERE id = ? AND user_id = 0"};
const Query kDeleteAuthorEntry{
    "DELETE FROM mailbox_entries WHERE user_id = ? AND message_id = ? AND role = 0"};

BroadcastSummary read_summary(const Statement& stmt) {
  BroadcastSummary s;
  s.message = read_message(stmt);
  s.channels = BroadcastChannels::from_bits(static_cast<int>(stmt.column_int(15)));
  s.recipients = stmt.column_int(16);
  s.read = stmt.column_int(17);
  s.replied = stmt.column_int(18);
  s.deliveries_pending = stmt.column_int(19) == 1;
  s.author = read_user(stmt, 20);
  return s;
}

int recipient_filter_value(RecipientFilter filter) {
  switch (filter) {
    case RecipientFilter::all:
      return 0;
    case RecipientFilter::read:
      return 1;
    case RecipientFilter::unread:
      return 2;
    case RecipientFilter::replied:
      return 3;
  }
  return 0;
}

}  // namespace

Result<MessageRecord> SqliteStore::save_broadcast(const NewBroadcast& broadcast) {
  auto result = write([&](Connection& c) -> Result<MessageRecord> {
    MessageRecord m = broadcast.message;
    // The author's copy, and the recipients' share of the message: only a retraction frees
    // that, whatever the author does with their own copy.
    insert_message(c, m, 2, broadcast.push);
    TimeMs at = m.sent_at.value_or(m.created_at);
    std::optional<std::string> link;
    if (broadcast.link_prefix) link = *broadcast.link_prefix + std::to_string(m.id);
    if (broadcast.push && link) c.prepare(kSetPushUrl)->bind(1, *link).bind(2, m.id).run();
    insert_author_copy(c, m, Folder::sent, at);
    std::optional<Id> bell;
    if (broadcast.channels.inbox) {
      c.prepare(kInsertSharedBell)
          ->bind(1, m.id)
          .bind(2, broadcast.notification_title)
          .bind(3, broadcast.notification_text)
          .bind_optional(4, link)
          .bind(5, at)
          .run();
      bell = c.last_insert_rowid();
    }
    c.prepare(kInsertRecipients)->bind(1, m.id).bind(2, json_id_array(broadcast.recipients)).run();
    bool owes_deliveries = broadcast.channels.push || broadcast.channels.email;
    c.prepare(kInsertBroadcast)
        ->bind(1, m.id)
        .bind(2, m.author_id)
        .bind(3, broadcast.channels.bits())
        .bind(4, at)
        .bind(5, static_cast<std::int64_t>(broadcast.recipients.size()))
        .bind_optional_id(6, bell)
        .bind(7, std::int64_t{owes_deliveries ? 1 : 0})
        .run();
    return m;
  });
  if (result) user_mirror_.invalidate(broadcast.recipients);
  return result;
}

BroadcastReach SqliteStore::broadcast_reach(Id message,
                                            const std::vector<DevicePlatform>& platforms) {
  std::string names = "[";
  for (auto platform : platforms) {
    if (names.size() > 1) names += ',';
    names += '"';
    names += platform_name(platform);
    names += '"';
  }
  names += ']';
  return read([&](Connection& c) {
    auto stmt = c.prepare(kReach);
    stmt->bind(1, message).bind(2, names);
    if (!stmt->step()) return BroadcastReach{};
    return BroadcastReach{stmt->column_int(0), stmt->column_int(1), stmt->column_int(2),
                          stmt->column_int(3)};
  });
}

std::optional<BroadcastSummary> SqliteStore::find_broadcast(Id message) {
  return read([&](Connection& c) -> std::optional<BroadcastSummary> {
    auto stmt = c.prepare(kFindBroadcast);
    stmt->bind(1, message);
    if (!stmt->step()) return std::nullopt;
    return read_summary(*stmt);
  });
}

bool SqliteStore::broadcast_retracted(Id message) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kRetracted);
    stmt->bind(1, message);
    return stmt->step();
  });
}

Page<BroadcastSummary> SqliteStore::list_broadcasts(Id author, const PageRequest& page_request) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kListBroadcasts);
    Id before = page_request.after > 0 ? page_request.after : std::numeric_limits<Id>::max();
    stmt->bind(1, author).bind(2, before).bind(3, page_request.limit + 1);
    Page<BroadcastSummary> page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == page_request.limit) {
        page.next_after = page.items.back().message.id;
        break;
      }
      page.items.push_back(read_summary(*stmt));
    }
    return page;
  });
}

RecipientPage SqliteStore::broadcast_recipients(Id message, const RecipientQuery& query) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kRecipients);
    stmt->bind(1, message)
        .bind(2, query.after_user)
        .bind(3, recipient_filter_value(query.filter))
        .bind(4, query.limit + 1);
    RecipientPage page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == query.limit) {
        page.next_after = page.items.back().user.id;
        break;
      }
      BroadcastRecipient& r = page.items.emplace_back();
      r.user.id = stmt->column_int(0);
      r.user.username = stmt->column_text(1);
      r.user.display_name = stmt->column_text(2);
      if (!stmt->column_is_null(3)) r.read_at = stmt->column_int(3);
      if (!stmt->column_is_null(4)) r.replied_at = stmt->column_int(4);
      if (!stmt->column_is_null(5)) r.reply_thread = stmt->column_int(5);
    }
    return page;
  });
}

Result<RetractedBroadcast> SqliteStore::retract_broadcast(Id message) {
  // Recipients never change after the send: read them outside the write, for the live events.
  RetractedBroadcast out{message, {}};
  read([&](Connection& c) {
    auto stmt = c.prepare(kRecipientIds);
    stmt->bind(1, message);
    while (stmt->step()) out.recipients.push_back(stmt->column_int(0));
  });
  auto result = write([&](Connection& c) -> Result<void> {
    Id author = 0;
    std::optional<Id> bell;
    {
      auto live = c.prepare(kLiveBroadcast);
      live->bind(1, message);
      if (!live->step()) return fail(errc::not_found, "no such broadcast");
      author = live->column_int(0);
      if (!live->column_is_null(1)) bell = live->column_int(1);
    }
    c.prepare(kMarkRetracted)->bind(1, system_now_ms()).bind(2, message).run();
    if (bell) c.prepare(kDeleteSharedBell)->bind(1, *bell).run();
    for (const MailboxEntry& e : select_entries(c, author, message)) {
      if (e.role != MailboxEntry::Role::author) continue;
      c.prepare(kDeleteAuthorEntry)->bind(1, author).bind(2, message).run();
      adjust_folder(c, author, e.folder, -1, e.read ? 0 : -1);
    }
    return {};
  });
  if (!result) return result.error();
  // Every recipient's counts are derived from the broadcast: drop them all at once.
  user_mirror_.clear();
  return out;
}

}  // namespace herald::sqlite
