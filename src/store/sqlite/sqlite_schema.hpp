// Versioned schema migrations of the SQLite store, applied in order at start.
#pragma once

namespace herald::sqlite {

class Connection;

// Brings the database up to the newest schema version, each step in its own transaction.
// Throws SqliteError when a step fails, leaving the database at the last complete version.
void migrate(Connection& connection);

int latest_schema_version() noexcept;

}  // namespace herald::sqlite
