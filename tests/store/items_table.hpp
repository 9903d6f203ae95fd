// The table of (key, text) rows that the tests of the store's SQLite layer (page cache, VFS) fill
// and check, with the checks they share.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite::items_table {

// `inline`: one object, and so one prepared statement per connection, for every test file.
inline const Query kInsertItem{"INSERT INTO items (k, v) VALUES (?, ?)"};
inline const Query kCountItems{"SELECT count(*), coalesce(sum(length(v)), 0) FROM items"};
inline const Query kIntegrityCheck{"PRAGMA integrity_check"};

// The table, with an index on the text so that each row touches two B-trees.
inline void create(Connection& db) {
  db.exec("CREATE TABLE items (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  db.exec("CREATE INDEX items_v ON items (v)");
}

inline void insert(Connection& db, std::int64_t key, const std::string& value) {
  db.prepare(kInsertItem)->bind(1, key).bind(2, value).run();
}

// How many rows, and the bytes of their text in all.
inline std::pair<std::int64_t, std::int64_t> rows_and_bytes(Connection& db) {
  auto stmt = db.prepare(kCountItems);
  EXPECT_TRUE(stmt->step());
  return {stmt->column_int(0), stmt->column_int(1)};
}

// SQLite's own check of the file: "ok" when sound.
inline std::string integrity(Connection& db) {
  auto stmt = db.prepare(kIntegrityCheck);
  EXPECT_TRUE(stmt->step());
  return stmt->column_text(0);
}

}  // namespace herald::sqlite::items_table
