#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/sqlite_broadcast_rows.hpp"

#include <filesystem>
#include <stdexcept>

#include "store/sqlite/sqlite_schema.hpp"

namespace herald::sqlite {
namespace {

const Query kInsertToken{
    "INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"};
const Query kSelectToken{
    "SELECT t.user_id, t.created_at, t.expires_at FROM tokens t"
    " JOIN users u ON u.id = t.user_id AND u.deleted_at IS NULL WHERE t.hash = ?"};
const Query kDeleteToken{"DELETE FROM tokens WHERE hash = ?"};
const Query kDeleteExpiredTokens{"DELETE FROM tokens WHERE expires_at <= ?"};
const Query kSelectUserWithCounts{
    "SELECT u.id, u.username, u.display_name, u.email, u.role, u.created_at,"
    " COALESCE(f.unread, 0), COALESCE(b.unread, 0)"
    " FROM users u LEFT JOIN folder_counters b ON b.user_id = u.id AND b.folder = 'bell'"
    " LEFT JOIN folder_counters f ON f.user_id = u.id AND f.folder = 'inbox'"
    " WHERE u.id = ? AND u.deleted_at IS NULL"};

}  // namespace

SqliteStore::SqliteStore(const std::string& path, int reader_connections)
    : readers_(path, static_cast<std::size_t>(reader_connections)) {
  auto connection = std::make_unique<Connection>(path, Connection::Mode::writer);
  migrate(*connection);
  checkpointer_ =
      std::make_unique<Checkpointer>(path, Checkpointer::kPagesBeforeCheckpoint, &readers_);
  wal_grew_ = [this](int pages) { checkpointer_->wal_grew(pages); };
  connection->on_wal_commit(&wal_grew_);
  writer_ = std::make_unique<Writer>(std::move(connection),
                                     [this](Connection& c) { checkpointer_->catch_up(c); });
  write_unfinished_copies();
}

SqliteStore::~SqliteStore() {
  // Copies still owed are written while everything they touch is alive.
  drain_writes();
}

User read_user(const Statement& stmt, int first) {
  User user;
  user.id = stmt.column_int(first);
  user.username = stmt.column_text(first + 1);
  user.display_name = stmt.column_text(first + 2);
  user.email = stmt.column_optional_text(first + 3);
  user.role = parse_role(stmt.column_text(first + 4)).value_or(Role::user);
  user.created_at = stmt.column_int(first + 5);
  return user;
}

Result<void> SqliteStore::insert_token(const TokenRecord& token) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kInsertToken)
        ->bind_blob(1, token.hash.data(), token.hash.size())
        .bind(2, token.user_id)
        .bind(3, token.created_at)
        .bind(4, token.expires_at)
        .run();
    return {};
  });
}

std::optional<TokenRecord> SqliteStore::find_token(const Sha256& hash) {
  return read([&](Connection& c) -> std::optional<TokenRecord> {
    auto stmt = c.prepare(kSelectToken);
    stmt->bind_blob(1, hash.data(), hash.size());
    if (!stmt->step()) return std::nullopt;
    return TokenRecord{hash, stmt->column_int(0), stmt->column_int(1), stmt->column_int(2)};
  });
}

Result<void> SqliteStore::delete_token(const Sha256& hash) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kDeleteToken)->bind_blob(1, hash.data(), hash.size()).run();
    return {};
  });
}

Result<void> SqliteStore::delete_expired_tokens(TimeMs now) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kDeleteExpiredTokens)->bind(1, now).run();
    return {};
  });
}

std::optional<std::pair<User, UnreadCounts>> SqliteStore::find_user_with_counts(Id id) {
  pending_fanouts_.await(id);
  if (auto mirrored = user_mirror_.find(id)) return mirrored;
  std::uint64_t generation = user_mirror_.generation(id);
  auto found = read([&](Connection& c) -> std::optional<std::pair<User, UnreadCounts>> {
    auto stmt = c.prepare(kSelectUserWithCounts);
    stmt->bind(1, id);
    if (!stmt->step()) return std::nullopt;
    UnreadCounts counts{stmt->column_int(6), stmt->column_int(7)};
    counts.inbox += broadcast_inbox_counts(c, id).unread;
    counts.notifications += unread_broadcast_bell(c, id);
    return std::pair{read_user(*stmt), counts};
  });
  if (found) user_mirror_.put(id, *found, generation);
  return found;
}

}  // namespace herald::sqlite

namespace herald {

std::unique_ptr<Store> open_store(const StoreOptions& options) {
  std::string path;
  if (options.url.empty()) {
    std::filesystem::create_directories(options.data_dir);
    path = (std::filesystem::path(options.data_dir) / "herald.db").string();
  } else if (options.url.rfind("sqlite:", 0) == 0) {
    path = options.url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    if (path.empty())
      throw std::runtime_error("the sqlite store URL names no file: " + options.url);
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
  } else {
    throw std::runtime_error("unsupported store URL (this build knows sqlite:PATH): " +
                             options.url);
  }
  return std::make_unique<sqlite::SqliteStore>(path, options.reader_connections);
}

}  // namespace herald
