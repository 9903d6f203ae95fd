// Row helpers for a user's view of broadcasts: the inbox copy, bell item and counts that are
// derived from the broadcast's recipient row rather than written per recipient. Every query
// walks the user's live broadcasts and probes (broadcast, user): its cost grows with the number
// of live broadcasts, not with the size of anyone's mailbox.
#pragma once

#include <optional>
#include <vector>

#include "core/mail_model.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite {

// The user's copy of a live broadcast that has an inbox, as a mailbox entry in `inbox`.
std::optional<MailboxEntry> select_broadcast_entry(Connection& c, Id user, Id message);

// Sets or clears the user's read mark on a broadcast, keeping its read counter.
void set_broadcast_read(Connection& c, Id user, Id message, bool read, TimeMs at);

struct BroadcastInboxCounts {
  std::int64_t total = 0;
  std::int64_t unread = 0;
};
BroadcastInboxCounts broadcast_inbox_counts(Connection& c, Id user);
std::int64_t unread_broadcast_bell(Connection& c, Id user);

// Up to `limit` of the user's broadcasts before `after`, newest first, as folder rows.
std::vector<FolderItem> broadcast_folder_items(Connection& c, Id user, const FolderCursor& after,
                                               bool unread_only, int limit);
// Up to `limit` of the user's broadcast bell items with an id below `before`, newest first.
std::vector<Notification> broadcast_bell_items(Connection& c, Id user, Id before, int limit);

// The state of the user's bell item `notification` when it is a broadcast's (0 unread, 1 read);
// nothing when it is not, or was deleted.
std::optional<int> broadcast_bell_state(Connection& c, Id user, Id notification);
void set_broadcast_bell(Connection& c, Id user, Id notification, int state);

}  // namespace herald::sqlite
