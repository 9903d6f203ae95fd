#include "store/sqlite/sqlite_schema.hpp"

#include <array>
#include <string>

#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite {
namespace {

// Append only: a released migration is never edited, a change is a new entry.
constexpr std::array kMigrations = {
    // 1: directory, tokens, per-user counters.
    R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL,
  display_name  TEXT NOT NULL COLLATE NOCASE,
  email         TEXT,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'sender', 'user')),
  password_hash TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  deleted_at    INTEGER
);
CREATE UNIQUE INDEX users_username ON users (username) WHERE deleted_at IS NULL;
CREATE INDEX users_display_name ON users (display_name) WHERE deleted_at IS NULL;

CREATE TABLE groups (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL COLLATE NOCASE,
  description  TEXT NOT NULL DEFAULT '',
  member_count INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX groups_name ON groups (name);

CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users (id),
  added_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE tokens (
  hash       BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens (user_id);
CREATE INDEX tokens_expiry ON tokens (expires_at);

CREATE TABLE user_counters (
  user_id              INTEGER PRIMARY KEY REFERENCES users (id),
  inbox_unread         INTEGER NOT NULL DEFAULT 0,
  notifications_unread INTEGER NOT NULL DEFAULT 0
);
)sql",
};

}  // namespace

int latest_schema_version() noexcept {
  return static_cast<int>(kMigrations.size());
}

void migrate(Connection& connection) {
  connection.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  static const Query kCurrentVersion{"SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
  static const Query kRecordVersion{
      "INSERT INTO schema_migrations (version, applied_at) "
      "VALUES (?, CAST(strftime('%s', 'now') AS INTEGER) * 1000)"};
  std::int64_t current = 0;
  {
    auto stmt = connection.prepare(kCurrentVersion);
    if (stmt->step()) current = stmt->column_int(0);
  }
  for (std::int64_t version = current + 1; version <= latest_schema_version(); ++version) {
    connection.exec("BEGIN IMMEDIATE");
    try {
      connection.exec(kMigrations[version - 1]);
      connection.prepare(kRecordVersion)->bind(1, version).run();
      connection.exec("COMMIT");
    } catch (...) {
      connection.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace herald::sqlite
