#include "store/sqlite/sqlite_connection.hpp"

#include <mutex>

#include <sqlite3.h>

#include "store/sqlite/sqlite_page_cache.hpp"
#include "store/sqlite/sqlite_vfs.hpp"

namespace herald::sqlite {
namespace {

[[noreturn]] void throw_error(sqlite3* db, int code) {
  throw SqliteError(sqlite3_extended_errcode(db),
                    std::string(sqlite3_errmsg(db)) + " (" + sqlite3_errstr(code) + ")");
}

}  // namespace

bool SqliteError::is_constraint() const noexcept {
  return (code_ & 0xff) == SQLITE_CONSTRAINT;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
  sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind_optional_id(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(sqlite3_db_handle(stmt_), rc);
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, index))
              : std::string();
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

std::string_view Statement::column_blob(int index) const {
  const void* data = sqlite3_column_blob(stmt_, index);
  return {static_cast<const char*>(data),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}

namespace {

void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLite counts every allocation under a global mutex unless told not to; we never read
    // the counts, and every statement of a large write allocates.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    // Commits that split B-tree pages no longer walk the whole page cache (see the header).
    install_page_cache();
    sqlite3_initialize();
    // The store's VFS: one write per commit into the WAL, copies that yield (see the header).
    install_vfs();
  });
}

}  // namespace

Connection::Connection(const std::string& path, Mode mode) {
  configure_sqlite_once();
  int flags =
      SQLITE_OPEN_NOMUTEX |
      (mode == Mode::writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(rc, "cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  set_busy_timeout(kBusyTimeoutMs);
  exec("PRAGMA foreign_keys = ON");
  if (mode == Mode::writer) {
    exec("PRAGMA journal_mode = WAL");
    // FULL: each commit and checkpoint syncs, so an acknowledged write survives power loss, not
    // only a crash of the process. The store's Writer commits with NORMAL instead and flushes
    // the WAL itself (WalSyncer) before it acknowledges a commit.
    exec("PRAGMA synchronous = FULL");
    // A send to thousands of users touches many pages in one transaction; with SQLite's default
    // 2 MiB cache they spill to the WAL mid-transaction and are read back.
    exec("PRAGMA cache_size = -65536");
    // Each job of a group commit runs in its own SAVEPOINT, whose journal holds the original of
    // every page the job changes. SQLite spills that journal to a temporary file past 64 KiB,
    // which made a write(2) of every such page, several per send, for nothing that has to last.
    exec("PRAGMA temp_store = MEMORY");
  } else {
    exec("PRAGMA query_only = ON");
    exec("PRAGMA cache_size = -8192");
  }
  // No memory map: in WAL mode a connection that sees another's commit unmaps the whole file
  // and maps it again, and each unmap flushes the TLBs of every core; under a steady stream of
  // writes that cost more than the read(2) copies it saves.
  exec("PRAGMA mmap_size = 0");
}

Connection::~Connection() {
  for (auto& [query, stmt] : statements_) sqlite3_finalize(stmt.handle());
  sqlite3_close(db_);
}

void Connection::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw SqliteError(sqlite3_extended_errcode(db_), message + " in: " + sql);
  }
}

StatementLease Connection::prepare(const Query& query) {
  auto it = statements_.find(&query);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, query.sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throw_error(db_, rc);
    it = statements_.emplace(&query, Statement(stmt)).first;
  }
  return StatementLease(it->second);
}

void Connection::on_wal_commit(std::function<void(int pages)>* on_commit) {
  sqlite3_wal_hook(
      db_,
      [](void* context, sqlite3*, const char*, int pages) {
        (*static_cast<std::function<void(int)>*>(context))(pages);
        return SQLITE_OK;
      },
      on_commit);
}

void Connection::set_busy_timeout(int milliseconds) {
  sqlite3_busy_timeout(db_, milliseconds);
}

std::string Connection::wal_path() const {
  return sqlite3_filename_wal(sqlite3_db_filename(db_, "main"));
}

void Connection::file_control(int op, void* argument) {
  int rc = sqlite3_file_control(db_, "main", op, argument);
  if (rc != SQLITE_OK) throw SqliteError(rc, "file control " + std::to_string(op) + " refused");
}

void Connection::sync_database_file() {
  sqlite3_file* file = nullptr;
  int rc = sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc != SQLITE_OK) throw_error(db_, rc);
  if (!file || !file->pMethods) return;  // not opened yet: nothing written
  rc = file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
  if (rc != SQLITE_OK) throw SqliteError(rc, "cannot sync the database file");
}

std::int64_t Connection::changes() const noexcept {
  return sqlite3_changes64(db_);
}

std::int64_t Connection::last_insert_rowid() const noexcept {
  return sqlite3_last_insert_rowid(db_);
}

}  // namespace herald::sqlite
