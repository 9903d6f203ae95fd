// SqliteStore: bell items, blobs' metadata, communication rules and address expansion reads.
#include <algorithm>
#include <iterator>
#include <limits>

#include "store/sqlite/sqlite_broadcast_rows.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace herald::sqlite {
namespace {

const Query kGroupMemberIds{
    "SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id"};
const Query kAllUserIds{"SELECT id FROM users WHERE deleted_at IS NULL ORDER BY id"};
const Query kGroupsOfUser{"SELECT group_id FROM group_members WHERE user_id = ?"};
const Query kNotifications{
    "SELECT id, user_id, kind, message_id, title, text, url, is_read, created_at"
    " FROM notifications WHERE user_id = ? AND id < ? ORDER BY id DESC LIMIT ?"};
const Query kUnreadNotifications{
    "SELECT unread FROM folder_counters WHERE user_id = ? AND folder = 'bell'"};
const Query kNotificationState{"SELECT is_read FROM notifications WHERE id = ? AND user_id = ?"};
const Query kMarkNotificationRead{"UPDATE notifications SET is_read = 1 WHERE id = ?"};
const Query kDeleteNotification{"DELETE FROM notifications WHERE id = ?"};
const Query kCountBell{
    "UPDATE folder_counters SET total = total + ?1, unread = unread + ?2"
    " WHERE user_id = ?3 AND folder = 'bell'"};
const Query kInsertBlob{
    "INSERT INTO blobs (id, sha256, size, type, name, uploader_id, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"};
const Query kSelectBlob{
    "SELECT id, sha256, size, type, name, uploader_id, created_at FROM blobs WHERE id = ?"};
const Query kBlobVisible{
    "SELECT 1 FROM blobs WHERE id = ?1 AND uploader_id = ?2"
    " UNION ALL SELECT 1 FROM message_attachments a JOIN mailbox_entries e"
    " ON e.message_id = a.message_id AND e.user_id = ?2 WHERE a.blob_id = ?1 LIMIT 1"};
const Query kShaUsed{"SELECT 1 FROM blobs WHERE sha256 = ? LIMIT 1"};
const Query kListRules{
    "SELECT id, from_group, to_group, created_at FROM communication_rules ORDER BY id"};
const Query kGroupExists{"SELECT 1 FROM groups WHERE id = ?"};
const Query kInsertRule{
    "INSERT INTO communication_rules (from_group, to_group, created_at) VALUES (?, ?, ?)"};
const Query kDeleteRule{"DELETE FROM communication_rules WHERE id = ?"};

std::vector<Id> collect_ids(StatementLease& stmt) {
  std::vector<Id> ids;
  while (stmt->step()) ids.push_back(stmt->column_int(0));
  return ids;
}

// Whether the user's notification is read; not_found when it is not theirs.
Result<bool> notification_read_state(Connection& c, Id user, Id notification) {
  auto state = c.prepare(kNotificationState);
  state->bind(1, notification).bind(2, user);
  if (!state->step()) return fail(errc::not_found, "no such notification");
  return state->column_int(0) != 0;
}

// Broadcasts' bell items are derived from their recipient rows; ids come from one sequence,
// so the user's own items and these merge by id.
void merge_broadcast_bell(Connection& c, Id user, Id before, int limit, Page<Notification>& page) {
  auto shared = broadcast_bell_items(c, user, before, limit + 1);
  if (shared.empty()) return;
  std::optional<Id> own_end = page.next_after;
  bool more = own_end.has_value();
  std::vector<Notification> merged;
  merged.reserve(page.items.size() + shared.size());
  std::merge(std::make_move_iterator(page.items.begin()), std::make_move_iterator(page.items.end()),
             std::make_move_iterator(shared.begin()), std::make_move_iterator(shared.end()),
             std::back_inserter(merged),
             [](const Notification& a, const Notification& b) { return a.id > b.id; });
  page.items.clear();
  page.next_after.reset();
  for (auto& n : merged) {
    if (static_cast<int>(page.items.size()) == limit || (own_end && n.id < *own_end)) {
      more = true;
      break;
    }
    page.items.push_back(std::move(n));
  }
  if (more && !page.items.empty()) page.next_after = page.items.back().id;
}

}  // namespace

std::vector<Id> SqliteStore::group_member_ids(Id group) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kGroupMemberIds);
    stmt->bind(1, group);
    return collect_ids(stmt);
  });
}

std::vector<Id> SqliteStore::all_user_ids() {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kAllUserIds);
    return collect_ids(stmt);
  });
}

std::vector<Id> SqliteStore::groups_of_user(Id user) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kGroupsOfUser);
    stmt->bind(1, user);
    return collect_ids(stmt);
  });
}

Page<Notification> SqliteStore::notifications(Id user, const PageRequest& page_request) {
  pending_fanouts_.await(user);
  return read([&](Connection& c) {
    auto stmt = c.prepare(kNotifications);
    Id before = page_request.after > 0 ? page_request.after : std::numeric_limits<Id>::max();
    stmt->bind(1, user).bind(2, before).bind(3, page_request.limit + 1);
    Page<Notification> page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == page_request.limit) {
        page.next_after = page.items.back().id;
        break;
      }
      Notification n;
      n.id = stmt->column_int(0);
      n.user_id = stmt->column_int(1);
      n.kind = parse_kind(stmt->column_text(2)).value_or(MessageKind::notice);
      if (!stmt->column_is_null(3)) n.message_id = stmt->column_int(3);
      n.title = stmt->column_text(4);
      n.text = stmt->column_text(5);
      n.url = stmt->column_optional_text(6);
      n.read = stmt->column_int(7) != 0;
      n.created_at = stmt->column_int(8);
      page.items.push_back(std::move(n));
    }
    merge_broadcast_bell(c, user, before, page_request.limit, page);
    return page;
  });
}

std::int64_t SqliteStore::unread_notifications(Id user) {
  pending_fanouts_.await(user);
  return read([&](Connection& c) -> std::int64_t {
    auto stmt = c.prepare(kUnreadNotifications);
    stmt->bind(1, user);
    std::int64_t own = stmt->step() ? stmt->column_int(0) : 0;
    return own + unread_broadcast_bell(c, user);
  });
}

Result<void> SqliteStore::mark_notification_read(Id user, Id notification) {
  pending_fanouts_.await(user);
  auto result = write([&](Connection& c) -> Result<void> {
    if (auto shared = broadcast_bell_state(c, user, notification)) {
      if (*shared == 0) set_broadcast_bell(c, user, notification, 1);
      return {};
    }
    auto was_read = notification_read_state(c, user, notification);
    if (!was_read) return was_read.error();
    if (*was_read) return {};
    c.prepare(kMarkNotificationRead)->bind(1, notification).run();
    c.prepare(kCountBell)->bind(1, 0).bind(2, -1).bind(3, user).run();
    return {};
  });
  user_mirror_.invalidate(user);
  return result;
}

Result<void> SqliteStore::delete_notification(Id user, Id notification) {
  pending_fanouts_.await(user);
  auto result = write([&](Connection& c) -> Result<void> {
    if (broadcast_bell_state(c, user, notification)) {
      set_broadcast_bell(c, user, notification, 2);
      return {};
    }
    auto was_read = notification_read_state(c, user, notification);
    if (!was_read) return was_read.error();
    c.prepare(kDeleteNotification)->bind(1, notification).run();
    c.prepare(kCountBell)->bind(1, -1).bind(2, *was_read ? 0 : -1).bind(3, user).run();
    return {};
  });
  user_mirror_.invalidate(user);
  return result;
}

Result<void> SqliteStore::insert_blob(const BlobRecord& blob) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kInsertBlob)
        ->bind(1, blob.id)
        .bind(2, blob.sha256)
        .bind(3, blob.size)
        .bind(4, blob.type)
        .bind(5, blob.name)
        .bind(6, blob.uploader_id)
        .bind(7, blob.created_at)
        .run();
    return {};
  });
}

std::optional<BlobRecord> SqliteStore::find_blob(const std::string& id) {
  return read([&](Connection& c) -> std::optional<BlobRecord> {
    auto stmt = c.prepare(kSelectBlob);
    stmt->bind(1, id);
    if (!stmt->step()) return std::nullopt;
    return BlobRecord{stmt->column_text(0), stmt->column_text(1), stmt->column_int(2),
                      stmt->column_text(3), stmt->column_text(4), stmt->column_int(5),
                      stmt->column_int(6)};
  });
}

bool SqliteStore::blob_visible_to(Id user, const std::string& blob_id) {
  pending_fanouts_.await(user);
  return read([&](Connection& c) {
    auto stmt = c.prepare(kBlobVisible);
    stmt->bind(1, blob_id).bind(2, user);
    return stmt->step();
  });
}

bool SqliteStore::blob_file_referenced(const std::string& sha256) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kShaUsed);
    stmt->bind(1, sha256);
    return stmt->step();
  });
}

std::vector<CommunicationRule> SqliteStore::list_rules() {
  return read([&](Connection& c) {
    std::vector<CommunicationRule> rules;
    auto stmt = c.prepare(kListRules);
    while (stmt->step()) {
      rules.push_back(
          {stmt->column_int(0), stmt->column_int(1), stmt->column_int(2), stmt->column_int(3)});
    }
    return rules;
  });
}

Result<CommunicationRule> SqliteStore::create_rule(Id from_group, Id to_group) {
  return write([&](Connection& c) -> Result<CommunicationRule> {
    for (Id group : {from_group, to_group}) {
      auto exists = c.prepare(kGroupExists);
      exists->bind(1, group);
      if (!exists->step()) return fail(errc::not_found, "no such group: " + std::to_string(group));
    }
    CommunicationRule rule{0, from_group, to_group, system_now_ms()};
    try {
      c.prepare(kInsertRule)->bind(1, from_group).bind(2, to_group).bind(3, rule.created_at).run();
    } catch (const SqliteError& e) {
      if (e.is_constraint()) return fail(errc::conflict, "that rule exists");
      throw;
    }
    rule.id = c.last_insert_rowid();
    return rule;
  });
}

Result<void> SqliteStore::delete_rule(Id id) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kDeleteRule)->bind(1, id).run();
    if (c.changes() == 0) return fail(errc::not_found, "no such rule");
    return {};
  });
}

}  // namespace herald::sqlite
