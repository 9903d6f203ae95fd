// Store: the persistence interface of herald. Implementations: SQLite (default), PostgreSQL
// (later).
//
// What "ok" means: a write that returns ok has been committed durably (fsync'd) before it returns;
// concurrent writes are grouped into one commit by the implementation. Every method may be called
// from any thread. Reads see every write that returned before they started.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/model.hpp"
#include "store/broadcast_store.hpp"
#include "store/device_store.hpp"
#include "store/mail_store.hpp"
#include "store/outbox_store.hpp"

namespace herald {

struct UserQuery {
  std::string prefix;  // matches username or display name (or a word of it); empty: all
  PageRequest page;
};

struct GroupQuery {
  std::string prefix;
  PageRequest page;
};

class Store : public MailStore, public DeviceStore, public OutboxStore, public BroadcastStore {
 public:
  ~Store() override = default;

  // Users. Deleted users are invisible to every read.
  virtual Result<User> create_user(const NewUser& user) = 0;  // conflict: username taken
  virtual std::optional<User> find_user(Id id) = 0;
  virtual std::optional<UserCredentials> find_credentials(std::string_view username) = 0;
  virtual Page<User> list_users(const UserQuery& query) = 0;
  // Keeps at least one admin: demoting or deleting the last one is a conflict. A new password
  // revokes every token of the user.
  virtual Result<User> update_user(Id id, const UserPatch& patch) = 0;
  virtual Result<void> delete_user(Id id) = 0;  // also revokes tokens and memberships
  virtual std::int64_t count_users() = 0;
  // Reads from the store itself, past any cache; throws when it cannot (GET /healthz).
  virtual void check_readable() = 0;

  // Groups and membership.
  virtual Result<Group> create_group(const NewGroup& group) = 0;  // conflict: name taken
  virtual std::optional<Group> find_group(Id id) = 0;
  virtual Page<Group> list_groups(const GroupQuery& query) = 0;
  virtual Result<Group> update_group(Id id, const GroupPatch& patch) = 0;
  virtual Result<void> delete_group(Id id) = 0;
  virtual Result<void> add_member(Id group, Id user) = 0;     // idempotent
  virtual Result<void> remove_member(Id group, Id user) = 0;  // idempotent
  virtual Page<User> list_members(Id group, const PageRequest& page) = 0;

  // Session tokens, kept only as SHA-256 hashes.
  virtual Result<void> insert_token(const TokenRecord& token) = 0;
  virtual std::optional<TokenRecord> find_token(const Sha256& hash) = 0;
  virtual Result<void> delete_token(const Sha256& hash) = 0;
  virtual Result<void> delete_expired_tokens(TimeMs now) = 0;

  // Users and groups whose names start with `prefix`, users first.
  virtual std::vector<DirectoryEntry> search_directory(std::string_view prefix, int limit) = 0;

  // The user together with their unread counters, in one read.
  virtual std::optional<std::pair<User, UnreadCounts>> find_user_with_counts(Id id) = 0;
};

struct StoreOptions {
  std::string url;       // "sqlite:PATH", or empty for the default
  std::string data_dir;  // where the default SQLite file lives
  int reader_connections = 4;
};

// Opens (and migrates) the store named by `options.url`. Throws std::runtime_error on failure.
std::unique_ptr<Store> open_store(const StoreOptions& options);

}  // namespace herald
