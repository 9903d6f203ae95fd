#include "store/sqlite/sqlite_mail_rows.hpp"

#include <fmt/format.h>

namespace herald::sqlite {
namespace {

const Query kSelectMessage{
    "SELECT m.id, m.kind, m.author_id, m.thread_id, m.parent_id, m.subject, m.body, m.body_html,"
    " m.snippet, m.to_addresses, m.cc_addresses, m.bcc_addresses, m.is_draft, m.created_at,"
    " m.sent_at FROM messages m WHERE m.id = ?"};
const Query kSelectAttachments{
    "SELECT b.id, b.name, b.type, b.size FROM message_attachments a JOIN blobs b ON b.id = "
    "a.blob_id"
    " WHERE a.message_id = ? ORDER BY a.position"};
const Query kSelectEntries{
    "SELECT user_id, message_id, role, folder, origin, is_read, replied_at, sort_at"
    " FROM mailbox_entries WHERE user_id = ? AND message_id = ? ORDER BY role"};
// The id is chosen before the insert, so that a message opening its own thread is written once.
const Query kNextMessageId{"SELECT COALESCE(MAX(id), 0) + 1 FROM messages"};
const Query kInsertMessage{
    "INSERT INTO messages (id, kind, author_id, thread_id, parent_id, subject, body, body_html,"
    " snippet, to_addresses, cc_addresses, bcc_addresses, attachment_count, is_draft, created_at,"
    " sent_at, copies, push_title, push_text, push_url)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
const Query kInsertAttachment{
    "INSERT INTO message_attachments (message_id, position, blob_id) VALUES (?, ?, ?)"};
const Query kInsertAuthorEntry{
    "INSERT INTO mailbox_entries (user_id, message_id, role, folder, origin, is_read, sort_at)"
    " VALUES (?1, ?2, 0, ?3, ?3, 1, ?4)"};
const Query kAddCopies{"UPDATE messages SET copies = copies + ? WHERE id = ?"};
// One statement per table for all recipients: the per-row cost stays inside SQLite.
const Query kInsertBellItems{
    "INSERT INTO notifications (user_id, kind, message_id, title, text, url, is_read, created_at)"
    " SELECT value, ?1, ?2, ?3, ?4, ?5, 0, ?6 FROM json_each(?7)"};
const Query kCountBellItems{
    "INSERT INTO folder_counters (user_id, folder, total, unread)"
    " SELECT value, 'bell', 1, 1 FROM json_each(?) WHERE true"
    " ON CONFLICT (user_id, folder) DO UPDATE SET total = total + 1, unread = unread + 1"};
const Query kInsertBellItem{
    "INSERT INTO notifications (user_id, kind, message_id, title, text, url, is_read, created_at)"
    " VALUES (?7, ?1, ?2, ?3, ?4, ?5, 0, ?6)"};
const Query kCountBellItem{
    "INSERT INTO folder_counters (user_id, folder, total, unread) VALUES (?, 'bell', 1, 1)"
    " ON CONFLICT (user_id, folder) DO UPDATE SET total = total + 1, unread = unread + 1"};
const Query kAdjustFolder{
    "INSERT INTO folder_counters (user_id, folder, total, unread) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (user_id, folder) DO UPDATE SET total = total + ?3, unread = unread + ?4"};

}  // namespace

MessageRecord read_message(const Statement& stmt) {
  MessageRecord m;
  m.id = stmt.column_int(0);
  m.kind = parse_kind(stmt.column_text(1)).value_or(MessageKind::mail);
  m.author_id = stmt.column_int(2);
  m.thread_id = stmt.column_int(3);
  if (!stmt.column_is_null(4)) m.parent_id = stmt.column_int(4);
  m.subject = stmt.column_text(5);
  m.body = stmt.column_text(6);
  m.body_html = stmt.column_text(7);
  m.snippet = stmt.column_text(8);
  m.addresses = {stmt.column_text(9), stmt.column_text(10), stmt.column_text(11)};
  m.draft = stmt.column_int(12) != 0;
  m.created_at = stmt.column_int(13);
  if (!stmt.column_is_null(14)) m.sent_at = stmt.column_int(14);
  return m;
}

std::vector<AttachmentRef> load_attachments(Connection& c, Id message) {
  std::vector<AttachmentRef> out;
  auto stmt = c.prepare(kSelectAttachments);
  stmt->bind(1, message);
  while (stmt->step()) {
    out.push_back(
        {stmt->column_text(0), stmt->column_text(1), stmt->column_text(2), stmt->column_int(3)});
  }
  return out;
}

std::optional<MessageRecord> select_message(Connection& c, Id message) {
  std::optional<MessageRecord> out;
  {
    auto stmt = c.prepare(kSelectMessage);
    stmt->bind(1, message);
    if (!stmt->step()) return std::nullopt;
    out = read_message(*stmt);
  }
  out->attachments = load_attachments(c, message);
  return out;
}

std::vector<MailboxEntry> select_entries(Connection& c, Id user, Id message) {
  std::vector<MailboxEntry> out;
  auto stmt = c.prepare(kSelectEntries);
  stmt->bind(1, user).bind(2, message);
  while (stmt->step()) {
    MailboxEntry e;
    e.user_id = stmt->column_int(0);
    e.message_id = stmt->column_int(1);
    e.role = stmt->column_int(2) == 0 ? MailboxEntry::Role::author : MailboxEntry::Role::recipient;
    e.folder = parse_folder(stmt->column_text(3)).value_or(Folder::inbox);
    e.origin = parse_folder(stmt->column_text(4)).value_or(Folder::inbox);
    e.read = stmt->column_int(5) != 0;
    if (!stmt->column_is_null(6)) e.replied_at = stmt->column_int(6);
    e.sort_at = stmt->column_int(7);
    out.push_back(e);
  }
  return out;
}

void insert_message(Connection& c, MessageRecord& m, std::int64_t copies,
                    const std::optional<PushContent>& push) {
  {
    auto next = c.prepare(kNextMessageId);
    next->step();
    m.id = next->column_int(0);
  }
  if (m.thread_id == 0) m.thread_id = m.id;
  auto stmt = c.prepare(kInsertMessage);
  stmt->bind(1, m.id)
      .bind(2, kind_name(m.kind))
      .bind(3, m.author_id)
      .bind(4, m.thread_id)
      .bind_optional_id(5, m.parent_id)
      .bind(6, m.subject)
      .bind(7, m.body)
      .bind(8, m.body_html)
      .bind(9, m.snippet)
      .bind(10, m.addresses.to)
      .bind(11, m.addresses.cc)
      .bind(12, m.addresses.bcc)
      .bind(13, static_cast<std::int64_t>(m.attachments.size()))
      .bind(14, std::int64_t{m.draft ? 1 : 0})
      .bind(15, m.created_at)
      .bind_optional_id(16, m.sent_at)
      .bind(17, copies);
  if (push) {
    stmt->bind(18, push->title).bind(19, push->text).bind_optional(20, push->url);
  } else {
    stmt->bind_optional(18, std::nullopt)
        .bind_optional(19, std::nullopt)
        .bind_optional(20, std::nullopt);
  }
  stmt->run();
  insert_attachments(c, m.id, m.attachments);
}

void insert_attachments(Connection& c, Id message, const std::vector<AttachmentRef>& attachments) {
  std::int64_t position = 0;
  for (const auto& attachment : attachments) {
    c.prepare(kInsertAttachment)
        ->bind(1, message)
        .bind(2, position++)
        .bind(3, attachment.blob_id)
        .run();
  }
}

void insert_author_copy(Connection& c, const MessageRecord& m, Folder folder, TimeMs at) {
  c.prepare(kInsertAuthorEntry)
      ->bind(1, m.author_id)
      .bind(2, m.id)
      .bind(3, folder_name(folder))
      .bind(4, at)
      .run();
  adjust_folder(c, m.author_id, folder, 1, 0);
}

void add_copies(Connection& c, Id message, std::int64_t copies) {
  c.prepare(kAddCopies)->bind(1, copies).bind(2, message).run();
}

void insert_bell_items(Connection& c, const MessageRecord& m, const std::vector<Id>& users,
                       const BellItem& item, TimeMs at) {
  if (users.empty()) return;
  auto bind_item = [&](Statement& stmt) -> Statement& {
    return stmt.bind(1, kind_name(m.kind))
        .bind(2, m.id)
        .bind(3, item.title)
        .bind(4, item.text)
        .bind_optional(5, item.url)
        .bind(6, at);
  };
  if (users.size() <= kRowByRowUpTo) {
    for (Id user : users) {
      bind_item(*c.prepare(kInsertBellItem)).bind(7, user).run();
      c.prepare(kCountBellItem)->bind(1, user).run();
    }
    return;
  }
  std::string ids = json_id_array(users);
  bind_item(*c.prepare(kInsertBellItems)).bind(7, ids).run();
  c.prepare(kCountBellItems)->bind(1, ids).run();
}

void adjust_folder(Connection& c, Id user, Folder folder, int total, int unread) {
  if (total == 0 && unread == 0) return;
  c.prepare(kAdjustFolder)
      ->bind(1, user)
      .bind(2, folder_name(folder))
      .bind(3, static_cast<std::int64_t>(total))
      .bind(4, static_cast<std::int64_t>(unread))
      .run();
}

std::string json_id_array(const std::vector<Id>& ids) {
  return fmt::format("[{}]", fmt::join(ids, ","));
}

}  // namespace herald::sqlite
