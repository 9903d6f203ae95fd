// SqliteStore: users.
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/sqlite_text.hpp"
#include "store/sqlite/sqlite_user_rows.hpp"

namespace herald::sqlite {
namespace {

const Query kInsertUser{
    "INSERT INTO users (username, display_name, email, role, password_hash, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"};
const Query kUserExists{"SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL"};
const Query kSelectUser{
    "SELECT id, username, display_name, email, role, created_at FROM users"
    " WHERE id = ? AND deleted_at IS NULL"};
const Query kSelectCredentials{
    "SELECT id, username, display_name, email, role, created_at, password_hash FROM users"
    " WHERE username = ? AND deleted_at IS NULL"};
const Query kListUsers{
    "SELECT id, username, display_name, email, role, created_at FROM users"
    " WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?"};
const Query kListUsersByPrefix{
    "SELECT id, username, display_name, email, role, created_at FROM users"
    " WHERE deleted_at IS NULL AND id > ?1"
    " AND ((username >= ?2 AND username < ?3) OR display_name LIKE ?4 ESCAPE '\\'"
    "      OR display_name LIKE ?5 ESCAPE '\\')"
    " ORDER BY id LIMIT ?6"};
const Query kUpdateUser{
    "UPDATE users SET display_name = ?, email = ?, role = ?,"
    " password_hash = COALESCE(?, password_hash) WHERE id = ?"};
const Query kCountAdmins{"SELECT COUNT(*) FROM users WHERE role = 'admin' AND deleted_at IS NULL"};
const Query kSoftDeleteUser{"UPDATE users SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL"};
const Query kDeleteUserTokens{"DELETE FROM tokens WHERE user_id = ?"};
const Query kDecrementGroupsOfUser{
    "UPDATE groups SET member_count = member_count - 1"
    " WHERE id IN (SELECT group_id FROM group_members WHERE user_id = ?)"};
const Query kDeleteUserMemberships{"DELETE FROM group_members WHERE user_id = ?"};
const Query kCountUsers{"SELECT COUNT(*) FROM users WHERE deleted_at IS NULL"};
const Query kFirstUser{"SELECT id FROM users ORDER BY id LIMIT 1"};

std::optional<User> select_user(Connection& c, Id id) {
  auto stmt = c.prepare(kSelectUser);
  stmt->bind(1, id);
  if (!stmt->step()) return std::nullopt;
  return read_user(*stmt);
}

std::int64_t count_admins(Connection& c) {
  auto stmt = c.prepare(kCountAdmins);
  stmt->step();
  return stmt->column_int(0);
}

Page<User> collect_page(StatementLease& stmt, int limit) {
  Page<User> page;
  while (stmt->step()) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_after = page.items.back().id;
      break;
    }
    page.items.push_back(read_user(*stmt));
  }
  return page;
}

}  // namespace

bool user_exists(Connection& c, Id user) {
  auto stmt = c.prepare(kUserExists);
  stmt->bind(1, user);
  return stmt->step();
}

Result<User> SqliteStore::create_user(const NewUser& user) {
  return write([&](Connection& c) -> Result<User> {
    User created{0, user.username, user.display_name, user.email, user.role, system_now_ms()};
    try {
      c.prepare(kInsertUser)
          ->bind(1, user.username)
          .bind(2, user.display_name)
          .bind_optional(3, user.email)
          .bind(4, role_name(user.role))
          .bind(5, user.password_hash)
          .bind(6, created.created_at)
          .run();
    } catch (const SqliteError& e) {
      if (e.is_constraint()) {
        return fail(errc::conflict, fmt::format("the username '{}' is taken", user.username));
      }
      throw;
    }
    created.id = c.last_insert_rowid();
    return created;
  });
}

std::optional<User> SqliteStore::find_user(Id id) {
  if (auto known = user_records_.find(id)) return known;
  std::uint64_t generation = user_records_.generation(id);
  auto found = read([&](Connection& c) { return select_user(c, id); });
  if (found) user_records_.put(id, *found, generation);
  return found;
}

std::optional<UserCredentials> SqliteStore::find_credentials(std::string_view username) {
  return read([&](Connection& c) -> std::optional<UserCredentials> {
    auto stmt = c.prepare(kSelectCredentials);
    stmt->bind(1, username);
    if (!stmt->step()) return std::nullopt;
    return UserCredentials{read_user(*stmt), stmt->column_text(6)};
  });
}

Page<User> SqliteStore::list_users(const UserQuery& query) {
  return read([&](Connection& c) {
    if (query.prefix.empty()) {
      auto stmt = c.prepare(kListUsers);
      stmt->bind(1, query.page.after).bind(2, query.page.limit + 1);
      return collect_page(stmt, query.page.limit);
    }
    auto stmt = c.prepare(kListUsersByPrefix);
    stmt->bind(1, query.page.after)
        .bind(2, query.prefix)
        .bind(3, prefix_upper_bound(query.prefix))
        .bind(4, like_prefix(query.prefix))
        .bind(5, like_word_prefix(query.prefix))
        .bind(6, query.page.limit + 1);
    return collect_page(stmt, query.page.limit);
  });
}

Result<User> SqliteStore::update_user(Id id, const UserPatch& patch) {
  auto result = write([&](Connection& c) -> Result<User> {
    auto current = select_user(c, id);
    if (!current) return fail(errc::not_found, "no such user");
    User updated = *current;
    if (patch.display_name) updated.display_name = *patch.display_name;
    if (patch.email) updated.email = *patch.email;
    if (patch.role) updated.role = *patch.role;
    if (current->role == Role::admin && updated.role != Role::admin && count_admins(c) <= 1) {
      return fail(errc::conflict, "herald needs at least one admin");
    }
    auto stmt = c.prepare(kUpdateUser);
    stmt->bind(1, updated.display_name)
        .bind_optional(2, updated.email)
        .bind(3, role_name(updated.role));
    if (patch.password_hash) {
      stmt->bind(4, *patch.password_hash);
    } else {
      stmt->bind_null(4);
    }
    stmt->bind(5, id).run();
    if (patch.password_hash) c.prepare(kDeleteUserTokens)->bind(1, id).run();
    return updated;
  });
  user_records_.invalidate(id);
  user_mirror_.invalidate(id);
  return result;
}

Result<void> SqliteStore::delete_user(Id id) {
  auto result = write([&](Connection& c) -> Result<void> {
    auto current = select_user(c, id);
    if (!current) return fail(errc::not_found, "no such user");
    if (current->role == Role::admin && count_admins(c) <= 1) {
      return fail(errc::conflict, "herald needs at least one admin");
    }
    c.prepare(kSoftDeleteUser)->bind(1, system_now_ms()).bind(2, id).run();
    c.prepare(kDeleteUserTokens)->bind(1, id).run();
    c.prepare(kDecrementGroupsOfUser)->bind(1, id).run();
    c.prepare(kDeleteUserMemberships)->bind(1, id).run();
    return {};
  });
  user_records_.invalidate(id);
  user_mirror_.invalidate(id);
  return result;
}

void SqliteStore::check_readable() {
  read([&](Connection& c) { c.prepare(kFirstUser)->step(); });
}

std::int64_t SqliteStore::count_users() {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kCountUsers);
    stmt->step();
    return stmt->column_int(0);
  });
}

}  // namespace herald::sqlite
