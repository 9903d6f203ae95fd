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
