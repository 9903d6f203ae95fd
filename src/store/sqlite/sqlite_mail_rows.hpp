// Row helpers shared by the SQLite mail files: reading messages and keeping folder counters.
#pragma once

#include <string>
#include <vector>

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

// Adds `total` and `unread` to the user's counters of `folder`.
void adjust_folder(Connection& c, Id user, Folder folder, int total, int unread);

// "[1,2,3]": the argument of json_each() for statements that write one row per id.
std::string json_id_array(const std::vector<Id>& ids);

}  // namespace herald::sqlite
