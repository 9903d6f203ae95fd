// Versioned schema migrations of the SQLite store, applied in order at start.
#pragma once

namespace herald::sqlite {

class Connection;

int latest_schema_version() noexcept;

// Brings the database up to schema version `up_to` (the newest by default), each step in its
// own transaction. Throws SqliteError when a step fails, leaving the database at the last
// complete version. Tests stop early to build a store as an older herald left it.
void migrate(Connection& connection, int up_to = latest_schema_version());

}  // namespace herald::sqlite
