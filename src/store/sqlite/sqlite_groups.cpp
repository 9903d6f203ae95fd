// SqliteStore: groups, membership and the directory search.
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/sqlite_text.hpp"
#include "store/sqlite/sqlite_user_rows.hpp"

namespace herald::sqlite {
namespace {

const Query kInsertGroup{"INSERT INTO groups (name, description, created_at) VALUES (?, ?, ?)"};
const Query kSelectGroup{
    "SELECT id, name, description, member_count, created_at FROM groups WHERE id = ?"};
const Query kListGroups{
    "SELECT id, name, description, member_count, created_at FROM groups"
    " WHERE id > ? ORDER BY id LIMIT ?"};
const Query kListGroupsByPrefix{
    "SELECT id, name, description, member_count, created_at FROM groups"
    " WHERE id > ?1 AND name LIKE ?2 ESCAPE '\\' ORDER BY id LIMIT ?3"};
const Query kUpdateGroup{"UPDATE groups SET name = ?, description = ? WHERE id = ?"};
const Query kDeleteGroup{"DELETE FROM groups WHERE id = ?"};
const Query kInsertMember{
    "INSERT OR IGNORE INTO group_members (group_id, user_id, added_at) VALUES (?, ?, ?)"};
const Query kDeleteMember{"DELETE FROM group_members WHERE group_id = ? AND user_id = ?"};
const Query kAdjustMemberCount{"UPDATE groups SET member_count = member_count + ? WHERE id = ?"};
const Query kListMembers{
    "SELECT u.id, u.username, u.display_name, u.email, u.role, u.created_at"
    " FROM group_members m JOIN users u ON u.id = m.user_id"
    " WHERE m.group_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?"};
const Query kSearchUsers{
    "SELECT id, username, display_name FROM users WHERE deleted_at IS NULL"
    " AND ((username >= ?1 AND username < ?2) OR display_name LIKE ?3 ESCAPE '\\'"
    "      OR display_name LIKE ?4 ESCAPE '\\')"
    " ORDER BY username LIMIT ?5"};
const Query kSearchGroups{
    "SELECT id, name, description, member_count FROM groups WHERE name LIKE ?1 ESCAPE '\\'"
    " ORDER BY name LIMIT ?2"};

Group read_group(const Statement& stmt) {
  return Group{stmt.column_int(0), stmt.column_text(1), stmt.column_text(2), stmt.column_int(3),
               stmt.column_int(4)};
}

std::optional<Group> select_group(Connection& c, Id id) {
  auto stmt = c.prepare(kSelectGroup);
  stmt->bind(1, id);
  if (!stmt->step()) return std::nullopt;
  return read_group(*stmt);
}

Error name_taken(const std::string& name) {
  return fail(errc::conflict, fmt::format("a group named '{}' exists", name));
}

// Checks both ends of a membership change; a missing one is not_found.
Result<void> check_membership_ends(Connection& c, Id group, Id user) {
  if (!select_group(c, group)) return fail(errc::not_found, "no such group");
  if (!user_exists(c, user)) return fail(errc::not_found, "no such user");
  return {};
}

}  // namespace

Result<Group> SqliteStore::create_group(const NewGroup& group) {
  return write([&](Connection& c) -> Result<Group> {
    Group created{0, group.name, group.description, 0, system_now_ms()};
    try {
      c.prepare(kInsertGroup)
          ->bind(1, group.name)
          .bind(2, group.description)
          .bind(3, created.created_at)
          .run();
    } catch (const SqliteError& e) {
      if (e.is_constraint()) return name_taken(group.name);
      throw;
    }
    created.id = c.last_insert_rowid();
    return created;
  });
}

std::optional<Group> SqliteStore::find_group(Id id) {
  return read([&](Connection& c) { return select_group(c, id); });
}

Page<Group> SqliteStore::list_groups(const GroupQuery& query) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(query.prefix.empty() ? kListGroups : kListGroupsByPrefix);
    stmt->bind(1, query.page.after);
    if (query.prefix.empty()) {
      stmt->bind(2, query.page.limit + 1);
    } else {
      stmt->bind(2, like_prefix(query.prefix)).bind(3, query.page.limit + 1);
    }
    Page<Group> page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == query.page.limit) {
        page.next_after = page.items.back().id;
        break;
      }
      page.items.push_back(read_group(*stmt));
    }
    return page;
  });
}

Result<Group> SqliteStore::update_group(Id id, const GroupPatch& patch) {
  return write([&](Connection& c) -> Result<Group> {
    auto current = select_group(c, id);
    if (!current) return fail(errc::not_found, "no such group");
    Group updated = *current;
    if (patch.name) updated.name = *patch.name;
    if (patch.description) updated.description = *patch.description;
    try {
      c.prepare(kUpdateGroup)->bind(1, updated.name).bind(2, updated.description).bind(3, id).run();
    } catch (const SqliteError& e) {
      if (e.is_constraint()) return name_taken(updated.name);
      throw;
    }
    return updated;
  });
}

Result<void> SqliteStore::delete_group(Id id) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kDeleteGroup)->bind(1, id).run();
    if (c.changes() == 0) return fail(errc::not_found, "no such group");
    return {};
  });
}

Result<void> SqliteStore::add_member(Id group, Id user) {
  return write([&](Connection& c) -> Result<void> {
    if (auto ends = check_membership_ends(c, group, user); !ends) return ends;
    c.prepare(kInsertMember)->bind(1, group).bind(2, user).bind(3, system_now_ms()).run();
    if (c.changes() > 0) c.prepare(kAdjustMemberCount)->bind(1, 1).bind(2, group).run();
    return {};
  });
}

Result<void> SqliteStore::remove_member(Id group, Id user) {
  return write([&](Connection& c) -> Result<void> {
    if (auto ends = check_membership_ends(c, group, user); !ends) return ends;
    c.prepare(kDeleteMember)->bind(1, group).bind(2, user).run();
    if (c.changes() > 0) c.prepare(kAdjustMemberCount)->bind(1, -1).bind(2, group).run();
    return {};
  });
}

Page<User> SqliteStore::list_members(Id group, const PageRequest& page_request) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kListMembers);
    stmt->bind(1, group).bind(2, page_request.after).bind(3, page_request.limit + 1);
    Page<User> page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == page_request.limit) {
        page.next_after = page.items.back().id;
        break;
      }
      page.items.push_back(read_user(*stmt));
    }
    return page;
  });
}

std::vector<DirectoryEntry> SqliteStore::search_directory(std::string_view prefix, int limit) {
  return read([&](Connection& c) {
    std::vector<DirectoryEntry> users;
    std::vector<DirectoryEntry> groups;
    {
      auto stmt = c.prepare(kSearchUsers);
      stmt->bind(1, prefix)
          .bind(2, prefix_upper_bound(prefix))
          .bind(3, like_prefix(prefix))
          .bind(4, like_word_prefix(prefix))
          .bind(5, limit);
      while (stmt->step()) {
        users.push_back({DirectoryEntry::Kind::user, stmt->column_int(0), stmt->column_text(1),
                         stmt->column_text(2), 0});
      }
    }
    {
      auto stmt = c.prepare(kSearchGroups);
      stmt->bind(1, like_prefix(prefix)).bind(2, limit);
      while (stmt->step()) {
        groups.push_back({DirectoryEntry::Kind::group, stmt->column_int(0), stmt->column_text(1),
                          stmt->column_text(2), stmt->column_int(3)});
      }
    }
    // Share the page between users and groups so that neither crowds the other out.
    std::size_t cap = static_cast<std::size_t>(limit);
    std::size_t group_share =
        std::min(groups.size(), std::max(cap / 2, cap - std::min(cap, users.size())));
    std::size_t user_share = std::min(users.size(), cap - group_share);
    users.resize(user_share);
    users.insert(users.end(), groups.begin(), groups.begin() + static_cast<long>(group_share));
    return users;
  });
}

}  // namespace herald::sqlite
