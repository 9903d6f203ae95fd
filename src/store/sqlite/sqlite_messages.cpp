// SqliteStore: writing messages and their copies, drafts, reading messages and threads.
#include <algorithm>
#include <charconv>
#include <limits>
#include <string_view>

#include <spdlog/spdlog.h>

#include "store/sqlite/sqlite_broadcast_rows.hpp"
#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

// From this many recipients on, an asynchronous send commits the message, the author's copy and
// the list of recipients first, and the recipients' copies after it, a slice per transaction:
// each copy lands on its own page of four per-user B-trees, which for 10,000 recipients is tens
// of megabytes of pages, while the list is one row. Slices let other writes (a next send) in
// between, so that none waits for a whole fan-out.
constexpr std::size_t kDeferredCopiesFrom = 1000;
constexpr std::size_t kCopiesPerSlice = 250;
// While this many copies are owed already, a large send writes its own in its transaction: the
// sender then waits as long as that write takes, and a recipient's read never waits behind more
// than this many copies (about 1.5 s of the writer on a 2-core machine).
constexpr std::size_t kMaxCopiesOwed = 100000;

const Query kDeleteAttachments{"DELETE FROM message_attachments WHERE message_id = ?"};
// One statement per table for all recipients: the per-row cost stays inside SQLite.
const Query kInsertRecipientEntries{
    "INSERT INTO mailbox_entries (user_id, message_id, role, folder, origin, is_read, sort_at)"
    " SELECT value, ?1, 1, 'inbox', 'inbox', 0, ?2 FROM json_each(?3)"};
const Query kCountInboxes{
    "INSERT INTO folder_counters (user_id, folder, total, unread)"
    " SELECT value, 'inbox', 1, 1 FROM json_each(?1) WHERE true"
    " ON CONFLICT (user_id, folder) DO UPDATE SET total = total + 1, unread = unread + 1"};
// The same for one recipient (see kRowByRowUpTo).
const Query kInsertRecipientEntry{
    "INSERT INTO mailbox_entries (user_id, message_id, role, folder, origin, is_read, sort_at)"
    " VALUES (?3, ?1, 1, 'inbox', 'inbox', 0, ?2)"};
const Query kCountInbox{
    "INSERT INTO folder_counters (user_id, folder, total, unread) VALUES (?, 'inbox', 1, 1)"
    " ON CONFLICT (user_id, folder) DO UPDATE SET total = total + 1, unread = unread + 1"};
const Query kMarkReplied{
    "UPDATE mailbox_entries SET replied_at = ? WHERE user_id = ? AND message_id = ? AND role = 1"};
const Query kSelectDraft{"SELECT 1 FROM messages WHERE id = ? AND author_id = ? AND is_draft = 1"};
const Query kMarkSent{"UPDATE messages SET is_draft = 0, sent_at = ? WHERE id = ?"};
const Query kMoveDraftToSent{
    "UPDATE mailbox_entries SET folder = 'sent', origin = 'sent', sort_at = ?"
    " WHERE user_id = ? AND message_id = ? AND role = 0 AND folder = 'drafts'"};
const Query kUpdateDraft{
    "UPDATE messages SET subject = ?, body = ?, body_html = ?, snippet = ?, to_addresses = ?,"
    " cc_addresses = ?, bcc_addresses = ?, attachment_count = ? WHERE id = ?"};
const Query kThreadForUser{
    "SELECT m.id, m.kind, m.author_id, m.thread_id, m.parent_id, m.subject, m.body, m.body_html,"
    " m.snippet, m.to_addresses, m.cc_addresses, m.bcc_addresses, m.is_draft, m.created_at,"
    " m.sent_at FROM messages m WHERE m.thread_id = ?1"
    " AND (EXISTS (SELECT 1 FROM mailbox_entries e WHERE e.user_id = ?2 AND e.message_id = m.id)"
    " OR EXISTS (SELECT 1 FROM broadcasts b JOIN broadcast_recipients r"
    " ON r.message_id = b.message_id AND r.user_id = ?2 WHERE b.message_id = m.id"
    " AND b.retracted_at IS NULL AND (b.channels & 1) <> 0)) ORDER BY m.id"};
// A reply to a broadcast continues the replier's thread with its author, or opens one.
const Query kBroadcastReplyState{
    "SELECT r.reply_thread, r.replied_at FROM broadcasts b JOIN broadcast_recipients r"
    " ON r.message_id = b.message_id AND r.user_id = ?2"
    " WHERE b.message_id = ?1 AND b.retracted_at IS NULL"};
const Query kMarkBroadcastReplied{
    "UPDATE broadcast_recipients SET replied_at = COALESCE(replied_at, ?3),"
    " reply_thread = COALESCE(reply_thread, ?4) WHERE message_id = ?1 AND user_id = ?2"};
const Query kCountBroadcastReply{
    "UPDATE broadcasts SET replied_count = replied_count + 1 WHERE message_id = ?"};

const Query kInsertFanout{
    "INSERT INTO mail_fanouts (message_id, recipients, title, text) VALUES (?, ?, ?, ?)"};
const Query kSelectFanout{"SELECT title, text, written FROM mail_fanouts WHERE message_id = ?"};
const Query kSelectFanoutRecipients{"SELECT recipients FROM mail_fanouts WHERE message_id = ?"};
// What a copy needs of its message: its kind (for the bell item) and its time.
const Query kSelectKindAndTime{
    "SELECT kind, COALESCE(sent_at, created_at) FROM messages WHERE id = ?"};
const Query kMoveFanout{"UPDATE mail_fanouts SET written = ? WHERE message_id = ?"};
const Query kDeleteFanout{"DELETE FROM mail_fanouts WHERE message_id = ?"};
const Query kAllFanouts{"SELECT message_id FROM mail_fanouts ORDER BY message_id"};

// Inbox copies, inbox counters and bell items of `users`.
void insert_copies(Connection& c, const MessageRecord& message, const std::vector<Id>& users,
                   const BellItem& bell, TimeMs at) {
  if (users.size() <= kRowByRowUpTo) {
    for (Id user : users) {
      c.prepare(kInsertRecipientEntry)->bind(1, message.id).bind(2, at).bind(3, user).run();
      c.prepare(kCountInbox)->bind(1, user).run();
    }
  } else {
    std::string ids = json_id_array(users);
    c.prepare(kInsertRecipientEntries)->bind(1, message.id).bind(2, at).bind(3, ids).run();
    c.prepare(kCountInboxes)->bind(1, ids).run();
  }
  insert_bell_items(c, message, users, bell, at);
}

// Every recipient's copy, now or (defer) as a mail_fanouts row, and the reply mark. The
// message's copy count already includes every recipient, so that it outlives its author's copy
// while deferred copies are being written.
void deliver(Connection& c, const MessageRecord& message, const NewMessage& delivery, TimeMs at,
             bool defer = false) {
  if (!delivery.recipients.empty()) {
    if (defer) {
      c.prepare(kInsertFanout)
          ->bind(1, message.id)
          .bind(2, json_id_array(delivery.recipients))
          .bind(3, delivery.notification_title)
          .bind(4, delivery.notification_text)
          .run();
    } else {
      insert_copies(c, message, delivery.recipients,
                    {delivery.notification_title, delivery.notification_text, std::nullopt}, at);
    }
  }
  if (message.parent_id) {
    c.prepare(kMarkReplied)
        ->bind(1, at)
        .bind(2, message.author_id)
        .bind(3, *message.parent_id)
        .run();
  }
}

bool is_own_draft(Connection& c, Id author, Id message) {
  auto stmt = c.prepare(kSelectDraft);
  stmt->bind(1, message).bind(2, author);
  return stmt->step();
}

// The ids of a JSON array of integers as written by json_id_array.
std::vector<Id> parse_id_array(std::string_view json) {
  std::vector<Id> ids;
  const char* at = json.data();
  const char* end = json.data() + json.size();
  while (at < end) {
    if (*at < '0' || *at > '9') {
      ++at;
      continue;
    }
    Id id = 0;
    at = std::from_chars(at, end, id).ptr;
    ids.push_back(id);
  }
  return ids;
}

// Writes up to `slice` more of the copies a deferred send owes; returns whether some remain.
// `recipients` is the send's list when the caller still holds it (the list of the row, in the
// same order), or null: it is then read from the row.
bool write_deferred_copies(Connection& c, Id message_id, std::size_t slice,
                           const std::vector<Id>* recipients) {
  BellItem bell;
  std::size_t written = 0;
  {
    auto stmt = c.prepare(kSelectFanout);
    stmt->bind(1, message_id);
    if (!stmt->step()) return false;
    bell.title = stmt->column_text(0);
    bell.text = stmt->column_text(1);
    written = static_cast<std::size_t>(stmt->column_int(2));
  }
  std::vector<Id> read;
  if (!recipients) {
    auto stmt = c.prepare(kSelectFanoutRecipients);
    stmt->bind(1, message_id);
    if (stmt->step()) read = parse_id_array(stmt->column_text(0));
    recipients = &read;
  }
  const std::vector<Id>& ids = *recipients;
  std::size_t first = std::min(written, ids.size());
  std::size_t last = first + std::min(slice, ids.size() - first);
  MessageRecord message;
  message.id = message_id;
  TimeMs at = 0;
  bool found = false;
  {
    auto stmt = c.prepare(kSelectKindAndTime);
    stmt->bind(1, message_id);
    if (stmt->step()) {
      found = true;
      message.kind = parse_kind(stmt->column_text(0)).value_or(MessageKind::mail);
      at = stmt->column_int(1);
    }
  }
  if (found && last > first) {
    std::vector<Id> part(ids.begin() + static_cast<std::ptrdiff_t>(first),
                         ids.begin() + static_cast<std::ptrdiff_t>(last));
    insert_copies(c, message, part, bell, at);
  }
  if (last == ids.size()) {
    c.prepare(kDeleteFanout)->bind(1, message_id).run();
    return false;
  }
  c.prepare(kMoveFanout)->bind(1, static_cast<std::int64_t>(last)).bind(2, message_id).run();
  return true;
}

// The message, its copies (or, with defer, the list of them), counters and bell items.
Result<MessageRecord> write_new_message(Connection& c, const NewMessage& input, bool defer) {
  MessageRecord m = input.message;
  bool first_reply = false;
  if (input.broadcast_reply) {
    auto state = c.prepare(kBroadcastReplyState);
    state->bind(1, *input.broadcast_reply).bind(2, m.author_id);
    if (!state->step()) {
      return fail(errc::gone, "the broadcast was retracted: it takes no more replies");
    }
    m.thread_id = state->column_is_null(0) ? 0 : state->column_int(0);
    first_reply = state->column_is_null(1);
  }
  // The author's copy, and every recipient's from the start (see deliver).
  std::int64_t copies = 1 + (m.draft ? 0 : static_cast<std::int64_t>(input.recipients.size()));
  insert_message(c, m, copies);
  TimeMs at = m.sent_at.value_or(m.created_at);
  insert_author_copy(c, m, m.draft ? Folder::drafts : Folder::sent, at);
  if (!m.draft) deliver(c, m, input, at, defer);
  if (input.broadcast_reply) {
    c.prepare(kMarkBroadcastReplied)
        ->bind(1, *input.broadcast_reply)
        .bind(2, m.author_id)
        .bind(3, at)
        .bind(4, m.thread_id)
        .run();
    if (first_reply) c.prepare(kCountBroadcastReply)->bind(1, *input.broadcast_reply).run();
  }
  return m;
}

}  // namespace

Result<MessageRecord> SqliteStore::save_message(const NewMessage& input) {
  auto result = write([&](Connection& c) { return write_new_message(c, input, false); });
  if (!input.recipients.empty()) user_mirror_.invalidate(input.recipients);
  return result;
}

void SqliteStore::save_message_async(NewMessage input,
                                     std::function<void(Result<MessageRecord>)> done,
                                     std::function<void()> delivered) {
  bool defer = !input.message.draft && input.recipients.size() >= kDeferredCopiesFrom &&
               pending_fanouts_.copies() < kMaxCopiesOwed;
  auto message = std::make_shared<const NewMessage>(std::move(input));
  write_async([message, defer](Connection& c) { return write_new_message(c, *message, defer); },
              [this, message, defer, done = std::move(done),
               delivered = std::move(delivered)](Result<MessageRecord> result) mutable {
                if (!result.ok() || !defer) {
                  if (!message->recipients.empty()) user_mirror_.invalidate(message->recipients);
                  if (result.ok() && delivered) delivered();
                  done(std::move(result));
                  return;
                }
                // Registered before `done` acknowledges the send: from then on, reads of a
                // recipient's mailbox wait for the copies.
                Id id = result->id;
                std::vector<Id> recipients = message->recipients;
                std::sort(recipients.begin(), recipients.end());
                pending_fanouts_.add(id, std::move(recipients));
                write_copies_async(id, {message, &message->recipients}, std::move(delivered));
                done(std::move(result));
              });
}

void SqliteStore::write_copies_async(Id message, std::shared_ptr<const std::vector<Id>> recipients,
                                     std::function<void()> delivered) {
  auto more = std::make_shared<bool>(false);
  writer_->submit_background(
      [message, recipients, more](Connection& c) {
        *more = write_deferred_copies(c, message, kCopiesPerSlice, recipients.get());
        return true;
      },
      [this, message, recipients, more, delivered = std::move(delivered)](bool committed) mutable {
        if (committed && *more)
          return write_copies_async(message, recipients, std::move(delivered));
        if (!committed) {
          spdlog::error(
              "the inbox copies of message {} were not all written; the rest will be "
              "when the store is next opened",
              message);
        }
        user_mirror_.invalidate(*recipients);
        pending_fanouts_.finish(message);
        if (committed && delivered) delivered();
      });
}

void SqliteStore::write_unfinished_copies() {
  auto written = write([](Connection& c) -> Result<void> {
    std::vector<Id> messages;
    {
      auto stmt = c.prepare(kAllFanouts);
      while (stmt->step()) messages.push_back(stmt->column_int(0));
    }
    // One transaction anyway: each send's remaining copies in one go.
    for (Id message : messages) {
      write_deferred_copies(c, message, std::numeric_limits<std::size_t>::max(), nullptr);
    }
    return {};
  });
  if (!written) throw std::runtime_error("cannot write the inbox copies of earlier sends");
}

void SqliteStore::drain_writes() {
  // Groups commit in the order their jobs were submitted, each calling its jobs' callbacks
  // before the next begins: an empty job's commit comes after every earlier one's callbacks.
  // Those callbacks may submit a deferred send's copies: drain again until none is left.
  do {
    writer_->run([](Connection&) { return true; });
  } while (!pending_fanouts_.empty());
}

Result<MessageRecord> SqliteStore::send_draft(Id author, Id message, const NewMessage& delivery) {
  auto result = write([&](Connection& c) -> Result<MessageRecord> {
    if (!is_own_draft(c, author, message)) return fail(errc::not_found, "no such draft");
    TimeMs at = delivery.message.sent_at.value_or(system_now_ms());
    c.prepare(kMarkSent)->bind(1, at).bind(2, message).run();
    c.prepare(kMoveDraftToSent)->bind(1, at).bind(2, author).bind(3, message).run();
    if (c.changes() > 0) {
      adjust_folder(c, author, Folder::drafts, -1, 0);
      adjust_folder(c, author, Folder::sent, 1, 0);
    }
    auto sent = select_message(c, message);
    if (!delivery.recipients.empty()) {
      add_copies(c, message, static_cast<std::int64_t>(delivery.recipients.size()));
    }
    deliver(c, *sent, delivery, at);
    return *sent;
  });
  if (!delivery.recipients.empty()) user_mirror_.invalidate(delivery.recipients);
  return result;
}

Result<MessageRecord> SqliteStore::update_draft(Id author, Id message, const DraftPatch& patch) {
  return write([&](Connection& c) -> Result<MessageRecord> {
    if (!is_own_draft(c, author, message)) return fail(errc::not_found, "no such draft");
    MessageRecord m = *select_message(c, message);
    if (patch.subject) m.subject = *patch.subject;
    if (patch.body) m.body = *patch.body;
    if (patch.body_html) m.body_html = *patch.body_html;
    if (patch.snippet) m.snippet = *patch.snippet;
    if (patch.addresses) m.addresses = *patch.addresses;
    if (patch.attachments) {
      m.attachments = *patch.attachments;
      c.prepare(kDeleteAttachments)->bind(1, message).run();
      insert_attachments(c, message, m.attachments);
    }
    c.prepare(kUpdateDraft)
        ->bind(1, m.subject)
        .bind(2, m.body)
        .bind(3, m.body_html)
        .bind(4, m.snippet)
        .bind(5, m.addresses.to)
        .bind(6, m.addresses.cc)
        .bind(7, m.addresses.bcc)
        .bind(8, static_cast<std::int64_t>(m.attachments.size()))
        .bind(9, message)
        .run();
    return m;
  });
}

std::optional<MessageRecord> SqliteStore::find_message(Id id) {
  return read([&](Connection& c) { return select_message(c, id); });
}

std::vector<MailboxEntry> SqliteStore::entries_of(Id user, Id message) {
  pending_fanouts_.await(user);
  return read([&](Connection& c) {
    auto entries = select_entries(c, user, message);
    if (auto broadcast = select_broadcast_entry(c, user, message)) entries.push_back(*broadcast);
    return entries;
  });
}

std::vector<MessageRecord> SqliteStore::thread_for(Id user, Id thread) {
  pending_fanouts_.await(user);
  return read([&](Connection& c) {
    std::vector<MessageRecord> out;
    {
      auto stmt = c.prepare(kThreadForUser);
      stmt->bind(1, thread).bind(2, user);
      while (stmt->step()) out.push_back(read_message(*stmt));
    }
    for (auto& m : out) m.attachments = load_attachments(c, m.id);
    return out;
  });
}

}  // namespace herald::sqlite
