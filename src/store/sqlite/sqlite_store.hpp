// The SQLite implementation of Store: one writer thread with group commit, a pool of readers.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/sqlite/sqlite_checkpointer.hpp"
#include "store/sqlite/sqlite_pending_fanouts.hpp"
#include "store/sqlite/sqlite_reader_pool.hpp"
#include "store/sqlite/sqlite_user_mirror.hpp"
#include "store/sqlite/sqlite_writer.hpp"
#include "store/store.hpp"

namespace herald::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` and applies pending migrations.
  SqliteStore(const std::string& path, int reader_connections);
  ~SqliteStore() override;

  Result<User> create_user(const NewUser& user) override;
  std::optional<User> find_user(Id id) override;
  std::optional<UserCredentials> find_credentials(std::string_view username) override;
  Page<User> list_users(const UserQuery& query) override;
  Result<User> update_user(Id id, const UserPatch& patch) override;
  Result<void> delete_user(Id id) override;
  std::int64_t count_users() override;
  void check_readable() override;

  Result<Group> create_group(const NewGroup& group) override;
  std::optional<Group> find_group(Id id) override;
  Page<Group> list_groups(const GroupQuery& query) override;
  Result<Group> update_group(Id id, const GroupPatch& patch) override;
  Result<void> delete_group(Id id) override;
  Result<void> add_member(Id group, Id user) override;
  Result<void> remove_member(Id group, Id user) override;
  Page<User> list_members(Id group, const PageRequest& page) override;

  Result<void> insert_token(const TokenRecord& token) override;
  std::optional<TokenRecord> find_token(const Sha256& hash) override;
  Result<void> delete_token(const Sha256& hash) override;
  Result<void> delete_expired_tokens(TimeMs now) override;

  std::vector<DirectoryEntry> search_directory(std::string_view prefix, int limit) override;
  std::optional<std::pair<User, UnreadCounts>> find_user_with_counts(Id id) override;

  // MailStore
  std::vector<Id> group_member_ids(Id group) override;
  std::vector<Id> all_user_ids() override;
  std::vector<Id> groups_of_user(Id user) override;
  Result<MessageRecord> save_message(const NewMessage& message) override;
  void save_message_async(NewMessage message, std::function<void(Result<MessageRecord>)> done,
                          std::function<void()> delivered) override;
  bool copies_pending() override { return !pending_fanouts_.empty(); }
  bool copies_pending_for(Id user) override { return pending_fanouts_.includes_user(user); }
  void drain_writes() override;
  Result<MessageRecord> send_draft(Id author, Id message, const NewMessage& delivery) override;
  Result<MessageRecord> update_draft(Id author, Id message, const DraftPatch& patch) override;
  std::optional<MessageRecord> find_message(Id id) override;
  std::vector<MailboxEntry> entries_of(Id user, Id message) override;
  std::vector<MessageRecord> thread_for(Id user, Id thread) override;
  FolderPage folder_page(Id user, const FolderQuery& query) override;
  std::vector<FolderSummary> folder_summaries(Id user) override;
  Result<std::vector<std::string>> apply_to_entries(Id user, const std::vector<Id>& ids,
                                                    EntryAction action) override;
  Result<void> insert_blob(const BlobRecord& blob) override;
  std::optional<BlobRecord> find_blob(const std::string& id) override;
  bool blob_visible_to(Id user, const std::string& blob_id) override;
  bool blob_file_referenced(const std::string& sha256) override;
  Page<Notification> notifications(Id user, const PageRequest& page) override;
  std::int64_t unread_notifications(Id user) override;
  Result<void> mark_notification_read(Id user, Id notification) override;
  Result<void> delete_notification(Id user, Id notification) override;
  std::vector<CommunicationRule> list_rules() override;
  Result<CommunicationRule> create_rule(Id from_group, Id to_group) override;
  Result<void> delete_rule(Id id) override;

  Result<SavedDevice> save_device(const NewDevice& device) override;
  Page<Device> list_devices(Id user, const PageRequest& page) override;
  Page<OwnedDevice> search_devices(std::string_view prefix, const PageRequest& page) override;
  std::optional<Device> find_device(Id id) override;
  Result<void> delete_device(Id id) override;

  std::vector<UserContact> contacts_of(const std::vector<Id>& users) override;
  Result<MessageRecord> save_notice(const NewNotice& notice) override;
  std::optional<PushContent> push_content(Id message) override;
  Page<DeliveryRecord> list_deliveries(Id message, const PageRequest& page) override;
  std::vector<DeliveryJob> claim_deliveries(DeliveryChannel channel, TimeMs now, TimeMs lease_ms,
                                            int limit) override;
  Result<void> record_deliveries(const std::vector<DeliveryResult>& results, TimeMs now) override;
  Result<void> release_deliveries(TimeMs now) override;
  std::optional<TimeMs> next_delivery_due(DeliveryChannel channel) override;

  Result<MessageRecord> save_broadcast(const NewBroadcast& broadcast) override;
  BroadcastReach broadcast_reach(Id message, const std::vector<DevicePlatform>& platforms) override;
  std::optional<BroadcastSummary> find_broadcast(Id message) override;
  bool broadcast_retracted(Id message) override;
  Page<BroadcastSummary> list_broadcasts(Id author, const PageRequest& page) override;
  RecipientPage broadcast_recipients(Id message, const RecipientQuery& query) override;
  Result<RetractedBroadcast> retract_broadcast(Id message) override;
  std::optional<FanoutBatch> next_fanout_batch(int limit) override;
  Result<bool> record_fanout_batch(const FanoutBatch& batch,
                                   const std::vector<NewDelivery>& deliveries) override;
  Result<bool> clean_retracted(Id message, int limit) override;

 private:
  // Runs `fn` as one job of the writer and waits until it is committed. A constraint violation
  // becomes errc::conflict; a job whose result is an error is rolled back.
  template <class F>
  auto write(F&& fn) -> decltype(fn(std::declval<Connection&>()));
  // `write` without waiting: `done` gets fn's result on the writer's syncer thread once the
  // commit is durable.
  template <class F, class Done>
  void write_async(F fn, Done done);

  template <class F>
  auto read(F&& fn) {
    auto lease = readers_.lease();
    return fn(*lease);
  }

  // Writes the copies of a deferred send, a slice per job, then releases its readers and
  // calls `delivered`.
  void write_copies_async(Id message, std::shared_ptr<const std::vector<Id>> recipients,
                          std::function<void()> delivered);
  // Writes the copies that sends committed before the last shutdown or crash still owe.
  void write_unfinished_copies();

  UserMirror user_mirror_;          // user records and unread counters for GET /me
  UserRecords user_records_;        // user records for sends and views
  PendingFanouts pending_fanouts_;  // sends whose copies are being written
  // Destroyed after the writer and the readers: its connection, the last one to close,
  // checkpoints and removes the WAL.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::function<void(int)> wal_grew_;
  ReaderPool readers_;              // paused by the writer's catch-ups, so it outlives the writer
  std::unique_ptr<Writer> writer_;  // destroyed first: its last commits may still signal
};

// Reads the user columns selected by kUserColumns starting at column `first`.
User read_user(const Statement& stmt, int first = 0);
inline constexpr const char* kUserColumns = "id, username, display_name, email, role, created_at";
// Reads the device columns "id, user_id, platform, name, address, p256dh, auth, created_at".
Device read_device(const Statement& stmt, int first = 0);

template <class F>
auto SqliteStore::write(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
  using R = decltype(fn(std::declval<Connection&>()));
  std::optional<R> result;
  bool committed = writer_->run([&](Connection& connection) {
    try {
      result.emplace(fn(connection));
    } catch (const SqliteError& e) {
      if (!e.is_constraint()) throw;
      result.emplace(fail(errc::conflict, "the change conflicts with existing data"));
    }
    return result->ok();
  });
  if (committed) return std::move(*result);
  if (result && !result->ok()) return std::move(*result);
  return fail(errc::internal, "the store could not commit the write");
}

template <class F, class Done>
void SqliteStore::write_async(F fn, Done done) {
  using R = decltype(fn(std::declval<Connection&>()));
  auto result = std::make_shared<std::optional<R>>();
  writer_->submit(
      [fn = std::move(fn), result](Connection& connection) mutable {
        try {
          result->emplace(fn(connection));
        } catch (const SqliteError& e) {
          if (!e.is_constraint()) throw;
          result->emplace(fail(errc::conflict, "the change conflicts with existing data"));
        }
        return (*result)->ok();
      },
      [result, done = std::move(done)](bool committed) mutable {
        if (committed || (*result && !(*result)->ok())) return done(std::move(**result));
        done(R(fail(errc::internal, "the store could not commit the write")));
      });
}

}  // namespace herald::sqlite
