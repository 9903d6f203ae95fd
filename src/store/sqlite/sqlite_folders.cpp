// SqliteStore: folder pages, folder counts, and actions on a user's copies.
#include <algorithm>
#include <iterator>
#include <limits>

#include "store/sqlite/sqlite_broadcast_rows.hpp"
#include "store/sqlite/sqlite_mail_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

#define HERALD_FOLDER_PAGE_SELECT                                                        \
  "SELECT e.message_id, m.kind, u.id, u.username, u.display_name, m.subject, m.snippet," \
  " e.is_read, m.attachment_count, m.is_draft, e.folder, e.sort_at, m.to_addresses"      \
  " FROM mailbox_entries e JOIN messages m ON m.id = e.message_id"                       \
  " JOIN users u ON u.id = m.author_id"                                                  \
  " WHERE e.user_id = ?1 AND e.folder = ?2 AND (e.sort_at, e.message_id) < (?3, ?4)"     \
  " AND (?5 IS NULL OR m.kind = ?5)"

// Two statements so that the unread page walks the partial index of unread copies.
const Query kFolderPage{HERALD_FOLDER_PAGE_SELECT
                        " ORDER BY e.sort_at DESC, e.message_id DESC LIMIT ?6"};
const Query kUnreadFolderPage{HERALD_FOLDER_PAGE_SELECT
                              " AND e.is_read = 0 ORDER BY e.sort_at DESC, e.message_id DESC"
                              " LIMIT ?6"};
#undef HERALD_FOLDER_PAGE_SELECT

const Query kFolderCounters{"SELECT folder, total, unread FROM folder_counters WHERE user_id = ?"};
const Query kSetRead{
    "UPDATE mailbox_entries SET is_read = ? WHERE user_id = ? AND message_id = ? AND role = ?"};
const Query kMoveEntry{
    "UPDATE mailbox_entries SET folder = ?, origin = ? WHERE user_id = ? AND message_id = ?"
    " AND role = ?"};
const Query kDeleteEntry{
    "DELETE FROM mailbox_entries WHERE user_id = ? AND message_id = ? AND role = ?"};
const Query kDropCopy{"UPDATE messages SET copies = copies - 1 WHERE id = ? RETURNING copies"};
const Query kAttachmentBlobs{"SELECT blob_id FROM message_attachments WHERE message_id = ?"};
const Query kDeleteMessageAttachments{"DELETE FROM message_attachments WHERE message_id = ?"};
const Query kDeleteMessage{"DELETE FROM messages WHERE id = ?"};
const Query kBlobStillUsed{"SELECT 1 FROM message_attachments WHERE blob_id = ? LIMIT 1"};
const Query kDeleteBlob{"DELETE FROM blobs WHERE id = ? RETURNING sha256"};
const Query kShaStillUsed{"SELECT 1 FROM blobs WHERE sha256 = ? LIMIT 1"};

std::int64_t role_value(MailboxEntry::Role role) {
  return role == MailboxEntry::Role::author ? 0 : 1;
}

// Deletes a message nobody holds any more, its attachment rows and the blobs only it used.
// Returns the files (by sha256) that nothing references now.
std::vector<std::string> free_message(Connection& c, Id message) {
  std::vector<std::string> blobs;
  {
    auto stmt = c.prepare(kAttachmentBlobs);
    stmt->bind(1, message);
    while (stmt->step()) blobs.push_back(stmt->column_text(0));
  }
  c.prepare(kDeleteMessageAttachments)->bind(1, message).run();
  c.prepare(kDeleteMessage)->bind(1, message).run();
  std::vector<std::string> files;
  for (const auto& blob : blobs) {
    {
      auto used = c.prepare(kBlobStillUsed);
      used->bind(1, blob);
      if (used->step()) continue;
    }
    std::string sha;
    {
      auto deleted = c.prepare(kDeleteBlob);
      deleted->bind(1, blob);
      if (!deleted->step()) continue;
      sha = deleted->column_text(0);
    }
    auto shared = c.prepare(kShaStillUsed);
    shared->bind(1, sha);
    if (!shared->step()) files.push_back(sha);
  }
  return files;
}

// A user's inbox copies of broadcasts are derived, not mailbox rows: the page of mailbox rows
// and the same page of broadcasts are merged, and the page ends where the merged order says.
void merge_broadcasts(Connection& c, Id user, const FolderQuery& query, const FolderCursor& after,
                      FolderPage& page) {
  auto broadcasts = broadcast_folder_items(c, user, after, query.unread_only, query.limit + 1);
  if (broadcasts.empty()) return;
  auto newer = [](const FolderItem& a, const FolderItem& b) {
    return a.sort_at != b.sort_at ? a.sort_at > b.sort_at : a.message_id > b.message_id;
  };
  std::vector<FolderItem> merged;
  merged.reserve(page.items.size() + broadcasts.size());
  std::merge(std::make_move_iterator(page.items.begin()), std::make_move_iterator(page.items.end()),
             std::make_move_iterator(broadcasts.begin()), std::make_move_iterator(broadcasts.end()),
             std::back_inserter(merged), newer);
  // Mailbox rows past page.next were not read: nothing older than the last one read may
  // follow it on this page.
  std::optional<FolderCursor> mail_end = page.next;
  bool more = mail_end.has_value();
  page.items.clear();
  page.next.reset();
  for (auto& item : merged) {
    bool past_mail =
        mail_end && (item.sort_at != mail_end->sort_at ? item.sort_at < mail_end->sort_at
                                                       : item.message_id < mail_end->message_id);
    if (static_cast<int>(page.items.size()) == query.limit || past_mail) {
      more = true;
      break;
    }
    page.items.push_back(std::move(item));
  }
  if (more && !page.items.empty()) {
    page.next = FolderCursor{page.items.back().sort_at, page.items.back().message_id};
  }
}

}  // namespace

FolderPage SqliteStore::folder_page(Id user, const FolderQuery& query) {
  pending_fanouts_.await(user);
  return read([&](Connection& c) {
    auto stmt = c.prepare(query.unread_only ? kUnreadFolderPage : kFolderPage);
    FolderCursor after = query.after.value_or(
        FolderCursor{std::numeric_limits<TimeMs>::max(), std::numeric_limits<Id>::max()});
    stmt->bind(1, user)
        .bind(2, folder_name(query.folder))
        .bind(3, after.sort_at)
        .bind(4, after.message_id);
    if (query.kind) {
      stmt->bind(5, kind_name(*query.kind));
    } else {
      stmt->bind_null(5);
    }
    stmt->bind(6, static_cast<std::int64_t>(query.limit) + 1);
    FolderPage page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == query.limit) {
        page.next = FolderCursor{page.items.back().sort_at, page.items.back().message_id};
        break;
      }
      FolderItem item;
      item.message_id = stmt->column_int(0);
      item.kind = parse_kind(stmt->column_text(1)).value_or(MessageKind::mail);
      item.author.id = stmt->column_int(2);
      item.author.username = stmt->column_text(3);
      item.author.display_name = stmt->column_text(4);
      item.subject = stmt->column_text(5);
      item.snippet = stmt->column_text(6);
      item.read = stmt->column_int(7) != 0;
      item.has_attachments = stmt->column_int(8) > 0;
      item.draft = stmt->column_int(9) != 0;
      item.folder = parse_folder(stmt->column_text(10)).value_or(Folder::inbox);
      item.sort_at = stmt->column_int(11);
      if (query.folder == Folder::sent || query.folder == Folder::drafts) {
        item.to_addresses = stmt->column_text(12);  // shown in outgoing folders only
      }
      page.items.push_back(std::move(item));
    }
    bool with_broadcasts =
        query.folder == Folder::inbox && (!query.kind || *query.kind == MessageKind::broadcast);
    if (with_broadcasts) merge_broadcasts(c, user, query, after, page);
    return page;
  });
}

std::vector<FolderSummary> SqliteStore::folder_summaries(Id user) {
  pending_fanouts_.await(user);
  return read([&](Connection& c) {
    std::vector<FolderSummary> out{
        {Folder::inbox}, {Folder::sent}, {Folder::drafts}, {Folder::trash}};
    auto stmt = c.prepare(kFolderCounters);
    stmt->bind(1, user);
    while (stmt->step()) {
      auto folder = parse_folder(stmt->column_text(0));
      if (!folder) continue;
      auto& summary = out[static_cast<std::size_t>(*folder)];
      summary.total = stmt->column_int(1);
      summary.unread = stmt->column_int(2);
    }
    auto broadcasts = broadcast_inbox_counts(c, user);
    out[static_cast<std::size_t>(Folder::inbox)].total += broadcasts.total;
    out[static_cast<std::size_t>(Folder::inbox)].unread += broadcasts.unread;
    return out;
  });
}

Result<std::vector<std::string>> SqliteStore::apply_to_entries(Id user, const std::vector<Id>& ids,
                                                               EntryAction action) {
  pending_fanouts_.await(user);
  auto result = write([&](Connection& c) -> Result<std::vector<std::string>> {
    std::vector<std::string> freed_files;
    for (Id message : ids) {
      auto entries = select_entries(c, user, message);
      if (auto broadcast = select_broadcast_entry(c, user, message)) {
        if (action == EntryAction::read || action == EntryAction::unread) {
          set_broadcast_read(c, user, message, action == EntryAction::read, system_now_ms());
        } else if (entries.empty()) {
          return fail(errc::conflict,
                      "a broadcast stays in the inbox until its author retracts it");
        }
      } else if (entries.empty()) {
        return fail(errc::not_found, "no such message: " + std::to_string(message));
      }
      for (const MailboxEntry& e : entries) {
        int unread = e.read ? 0 : 1;
        switch (action) {
          case EntryAction::read:
          case EntryAction::unread: {
            bool target = action == EntryAction::read;
            if (e.read == target) break;
            c.prepare(kSetRead)
                ->bind(1, std::int64_t{target})
                .bind(2, user)
                .bind(3, message)
                .bind(4, role_value(e.role))
                .run();
            adjust_folder(c, user, e.folder, 0, target ? -1 : 1);
            break;
          }
          case EntryAction::trash:
            if (e.folder == Folder::trash) break;
            c.prepare(kMoveEntry)
                ->bind(1, "trash")
                .bind(2, folder_name(e.folder))
                .bind(3, user)
                .bind(4, message)
                .bind(5, role_value(e.role))
                .run();
            adjust_folder(c, user, e.folder, -1, -unread);
            adjust_folder(c, user, Folder::trash, 1, unread);
            break;
          case EntryAction::restore:
            if (e.folder != Folder::trash) break;
            c.prepare(kMoveEntry)
                ->bind(1, folder_name(e.origin))
                .bind(2, folder_name(e.origin))
                .bind(3, user)
                .bind(4, message)
                .bind(5, role_value(e.role))
                .run();
            adjust_folder(c, user, Folder::trash, -1, -unread);
            adjust_folder(c, user, e.origin, 1, unread);
            break;
          case EntryAction::purge: {
            if (e.folder != Folder::trash && e.folder != Folder::drafts) {
              return fail(errc::conflict, "move the message to trash before deleting it for good");
            }
            c.prepare(kDeleteEntry)
                ->bind(1, user)
                .bind(2, message)
                .bind(3, role_value(e.role))
                .run();
            adjust_folder(c, user, e.folder, -1, -unread);
            std::int64_t left = 0;
            {
              auto copies = c.prepare(kDropCopy);
              copies->bind(1, message);
              if (copies->step()) left = copies->column_int(0);
            }
            if (left <= 0) {
              auto files = free_message(c, message);
              freed_files.insert(freed_files.end(), files.begin(), files.end());
            }
            break;
          }
        }
      }
    }
    return freed_files;
  });
  user_mirror_.invalidate(user);
  return result;
}

}  // namespace herald::sqlite
