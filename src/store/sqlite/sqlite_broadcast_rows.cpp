#include "store/sqlite/sqlite_broadcast_rows.hpp"

namespace herald::sqlite {
namespace {

// CROSS JOIN keeps broadcasts as the outer loop: recipient rows are keyed (broadcast, user).
const Query kBroadcastEntry{
    "SELECT r.read_at, r.replied_at, b.sent_at FROM broadcasts b"
    " CROSS JOIN broadcast_recipients r ON r.message_id = b.message_id AND r.user_id = ?2"
    " WHERE b.message_id = ?1 AND b.retracted_at IS NULL AND (b.channels & 1) <> 0"};
const Query kSetBroadcastRead{
    "UPDATE broadcast_recipients SET read_at = CASE WHEN ?3 THEN ?4 ELSE NULL END"
    " WHERE message_id = ?1 AND user_id = ?2 AND (read_at IS NULL) = ?3"};
const Query kCountBroadcastRead{
    "UPDATE broadcasts SET read_count = read_count + ? WHERE message_id = ?"};
const Query kInboxCounts{
    "SELECT count(*), COALESCE(sum(r.read_at IS NULL), 0) FROM broadcasts b"
    " CROSS JOIN broadcast_recipients r ON r.message_id = b.message_id AND r.user_id = ?1"
    " WHERE b.retracted_at IS NULL AND (b.channels & 1) <> 0"};
// A retracted broadcast's shared bell item is deleted with the retraction.
const Query kUnreadBell{
    "SELECT count(*) FROM notifications n"
    " CROSS JOIN broadcast_recipients r ON r.message_id = n.message_id AND r.user_id = ?1"
    " WHERE n.user_id = 0 AND r.bell = 0"};
const Query kFolderItems{
    "SELECT b.message_id, u.id, u.username, u.display_name, m.subject, m.snippet,"
    " r.read_at IS NOT NULL, m.attachment_count, b.sent_at FROM broadcasts b"
    " CROSS JOIN broadcast_recipients r ON r.message_id = b.message_id AND r.user_id = ?1"
    " JOIN messages m ON m.id = b.message_id JOIN users u ON u.id = b.author_id"
    " WHERE b.retracted_at IS NULL AND (b.channels & 1) <> 0"
    " AND (b.sent_at, b.message_id) < (?2, ?3) AND (?4 = 0 OR r.read_at IS NULL)"
    " ORDER BY b.sent_at DESC, b.message_id DESC LIMIT ?5"};
const Query kBellItems{
    "SELECT n.id, n.kind, n.message_id, n.title, n.text, n.url, r.bell, n.created_at"
    " FROM notifications n"
    " CROSS JOIN broadcast_recipients r ON r.message_id = n.message_id AND r.user_id = ?1"
    " WHERE n.user_id = 0 AND n.id < ?2 AND r.bell < 2 ORDER BY n.id DESC LIMIT ?3"};
const Query kBellState{
    "SELECT r.bell FROM notifications n"
    " CROSS JOIN broadcast_recipients r ON r.message_id = n.message_id AND r.user_id = ?2"
    " WHERE n.id = ?1 AND n.user_id = 0 AND r.bell < 2"};
const Query kSetBell{
    "UPDATE broadcast_recipients SET bell = ?3 WHERE user_id = ?2"
    " AND message_id = (SELECT message_id FROM notifications WHERE id = ?1 AND user_id = 0)"};

}  // namespace

std::optional<MailboxEntry> select_broadcast_entry(Connection& c, Id user, Id message) {
  auto stmt = c.prepare(kBroadcastEntry);
  stmt->bind(1, message).bind(2, user);
  if (!stmt->step()) return std::nullopt;
  MailboxEntry e;
  e.user_id = user;
  e.message_id = message;
  e.role = MailboxEntry::Role::recipient;
  e.folder = Folder::inbox;
  e.origin = Folder::inbox;
  e.read = !stmt->column_is_null(0);
  if (!stmt->column_is_null(1)) e.replied_at = stmt->column_int(1);
  e.sort_at = stmt->column_int(2);
  return e;
}

void set_broadcast_read(Connection& c, Id user, Id message, bool read, TimeMs at) {
  c.prepare(kSetBroadcastRead)
      ->bind(1, message)
      .bind(2, user)
      .bind(3, std::int64_t{read ? 1 : 0})
      .bind(4, at)
      .run();
  if (c.changes() == 0) return;
  c.prepare(kCountBroadcastRead)->bind(1, read ? 1 : -1).bind(2, message).run();
}

BroadcastInboxCounts broadcast_inbox_counts(Connection& c, Id user) {
  auto stmt = c.prepare(kInboxCounts);
  stmt->bind(1, user);
  if (!stmt->step()) return {};
  return {stmt->column_int(0), stmt->column_int(1)};
}

std::int64_t unread_broadcast_bell(Connection& c, Id user) {
  auto stmt = c.prepare(kUnreadBell);
  stmt->bind(1, user);
  return stmt->step() ? stmt->column_int(0) : 0;
}

std::vector<FolderItem> broadcast_folder_items(Connection& c, Id user, const FolderCursor& after,
                                               bool unread_only, int limit) {
  auto stmt = c.prepare(kFolderItems);
  stmt->bind(1, user)
      .bind(2, after.sort_at)
      .bind(3, after.message_id)
      .bind(4, std::int64_t{unread_only ? 1 : 0})
      .bind(5, limit);
  std::vector<FolderItem> out;
  while (stmt->step()) {
    FolderItem& item = out.emplace_back();
    item.message_id = stmt->column_int(0);
    item.kind = MessageKind::broadcast;
    item.author.id = stmt->column_int(1);
    item.author.username = stmt->column_text(2);
    item.author.display_name = stmt->column_text(3);
    item.subject = stmt->column_text(4);
    item.snippet = stmt->column_text(5);
    item.read = stmt->column_int(6) != 0;
    item.has_attachments = stmt->column_int(7) > 0;
    item.folder = Folder::inbox;
    item.sort_at = stmt->column_int(8);
  }
  return out;
}

std::vector<Notification> broadcast_bell_items(Connection& c, Id user, Id before, int limit) {
  auto stmt = c.prepare(kBellItems);
  stmt->bind(1, user).bind(2, before).bind(3, limit);
  std::vector<Notification> out;
  while (stmt->step()) {
    Notification& n = out.emplace_back();
    n.id = stmt->column_int(0);
    n.user_id = user;
    n.kind = parse_kind(stmt->column_text(1)).value_or(MessageKind::broadcast);
    n.message_id = stmt->column_int(2);
    n.title = stmt->column_text(3);
    n.text = stmt->column_text(4);
    n.url = stmt->column_optional_text(5);
    n.read = stmt->column_int(6) != 0;
    n.created_at = stmt->column_int(7);
  }
  return out;
}

std::optional<int> broadcast_bell_state(Connection& c, Id user, Id notification) {
  auto stmt = c.prepare(kBellState);
  stmt->bind(1, notification).bind(2, user);
  if (!stmt->step()) return std::nullopt;
  return static_cast<int>(stmt->column_int(0));
}

void set_broadcast_bell(Connection& c, Id user, Id notification, int state) {
  c.prepare(kSetBell)->bind(1, notification).bind(2, user).bind(3, state).run();
}

}  // namespace herald::sqlite
