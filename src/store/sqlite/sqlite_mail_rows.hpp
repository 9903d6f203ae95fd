// Row helpers shared by the SQLite mail files: writing and reading messages, bell items, and
// keeping folder counters.
#pragma once

#include <string>
#include <vector>

#include "core/delivery_model.hpp"
#include "core/mail_model.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite {

// Columns read by read_message, in order.
inline constexpr const char* kMessageColumns =
    "m.id, m.kind, m.author_id, m.thread_id, m.parent_id, m.subject, m.body, m.body_html,"
    " m.snippet, m.to_addresses, m.cc_addresses, m.bcc_addresses, m.is_draft, m.created_at,"
    " m.sent_at";

MessageRecord read_message(const Statement& stmt);
std::vector<AttachmentRef> load_attachments(Connection& c, Id message);
std::optional<MessageRecord> select_message(Connection& c, Id message);
std::vector<MailboxEntry> select_entries(Connection& c, Id user, Id message);

// Inserts the message (assigning its id, and its thread when 0) with its attachments and, for
// notices and broadcasts, its push part; `copies` is the number of mailbox entries that will
// hold it, written with it so that the row is written once.
void insert_message(Connection& c, MessageRecord& m, std::int64_t copies,
                    const std::optional<PushContent>& push = {});
void insert_attachments(Connection& c, Id message, const std::vector<AttachmentRef>& attachments);
// The author's copy in `folder`, counted there (the message's `copies` already includes it).
void insert_author_copy(Connection& c, const MessageRecord& m, Folder folder, TimeMs at);
void add_copies(Connection& c, Id message, std::int64_t copies);

struct BellItem {
  std::string title;
  std::string text;
  std::optional<std::string> url;
};
// One unread bell item of the message for each of `users`, counted.
void insert_bell_items(Connection& c, const MessageRecord& m, const std::vector<Id>& users,
                       const BellItem& item, TimeMs at);

// The outbox rows of a message, queued ones due at `at`.
void insert_deliveries(Connection& c, Id message, TimeMs at,
                       const std::vector<NewDelivery>& deliveries);

// Adds `total` and `unread` to the user's counters of `folder`.
void adjust_folder(Connection& c, Id user, Folder folder, int total, int unread);

// Up to this many users, statements that write a row per user run once for each: json_each
// costs a virtual table and a parse of the array in every statement, more than a row does.
inline constexpr std::size_t kRowByRowUpTo = 8;

// "[1,2,3]": the argument of json_each() for statements that write one row per id.
std::string json_id_array(const std::vector<Id>& ids);

}  // namespace herald::sqlite
