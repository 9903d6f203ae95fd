// A thin RAII layer over one sqlite3 connection and its cache of prepared statements.
// A connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace herald::sqlite {

// A named SQL statement; its address keys the per-connection statement cache.
struct Query {
  const char* sql;
};

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const noexcept { return code_; }  // extended result code
  bool is_constraint() const noexcept;         // UNIQUE, FOREIGN KEY, CHECK...

 private:
  int code_;
};

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  // Binding, 1-based.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, const void* data, std::size_t size);
  Statement& bind_null(int index);
  Statement& bind_optional(int index, const std::optional<std::string>& text);
  Statement& bind_optional_id(int index, const std::optional<std::int64_t>& value);

  // True when a row is available; false when done. Throws SqliteError on failure.
  bool step();
  // Runs to completion, for statements that return no rows.
  void run();
  void reset() noexcept;

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  bool column_is_null(int index) const;
  std::string_view column_blob(int index) const;
  sqlite3_stmt* handle() const noexcept { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

// Resets a cached statement when it goes out of scope, so it can be reused.
class StatementLease {
 public:
  explicit StatementLease(Statement& stmt) : stmt_(&stmt) {}
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  ~StatementLease() { stmt_->reset(); }
  Statement* operator->() const noexcept { return stmt_; }
  Statement& operator*() const noexcept { return *stmt_; }

 private:
  Statement* stmt_;
};

class Connection {
 public:
  enum class Mode { writer, reader };
  Connection(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL text with no parameters (pragmas, migrations, transaction control).
  void exec(const char* sql);
  StatementLease prepare(const Query& query);
  std::int64_t changes() const noexcept;
  std::int64_t last_insert_rowid() const noexcept;
  // Replaces SQLite's automatic checkpoint: `on_commit` gets the WAL's size in pages after each
  // commit, on the committing thread. `on_commit` must outlive the connection.
  void on_wal_commit(std::function<void(int pages)>* on_commit);
  // How long a statement waits for a lock another connection holds (SQLite's busy timeout).
  static constexpr int kBusyTimeoutMs = 10000;
  void set_busy_timeout(int milliseconds);
  // The WAL file's path (it exists once a WAL-mode connection has read or written).
  std::string wal_path() const;
  // Flushes the database file (not the WAL) to disk through SQLite's own file handle.
  void sync_database_file();
  // Passes a file control to the "main" database's file (sqlite3_file_control); throws if the
  // file does not take it.
  void file_control(int op, void* argument);

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const Query*, Statement> statements_;  // node-stable: leases point in
};

}  // namespace herald::sqlite
