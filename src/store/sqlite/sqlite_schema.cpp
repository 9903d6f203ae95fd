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
    // 2: mail. Messages are written once; each user's copy is a mailbox entry. Counters are
    // kept in the same transactions as the rows they count.
    R"sql(
CREATE TABLE messages (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('mail', 'broadcast', 'notice')),
  author_id        INTEGER NOT NULL REFERENCES users (id),
  thread_id        INTEGER NOT NULL,
  parent_id        INTEGER,
  subject          TEXT NOT NULL,
  body             TEXT NOT NULL,
  body_html        TEXT NOT NULL,
  snippet          TEXT NOT NULL,
  to_addresses     TEXT NOT NULL DEFAULT '',
  cc_addresses     TEXT NOT NULL DEFAULT '',
  bcc_addresses    TEXT NOT NULL DEFAULT '',
  attachment_count INTEGER NOT NULL DEFAULT 0,
  is_draft         INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER,
  copies           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_thread ON messages (thread_id);

CREATE TABLE mailbox_entries (
  user_id    INTEGER NOT NULL,
  message_id INTEGER NOT NULL,
  role       INTEGER NOT NULL,  -- 0 author, 1 recipient
  folder     TEXT NOT NULL,
  origin     TEXT NOT NULL,
  is_read    INTEGER NOT NULL,
  replied_at INTEGER,
  sort_at    INTEGER NOT NULL,
  PRIMARY KEY (user_id, message_id, role)
) WITHOUT ROWID;
CREATE INDEX mailbox_folder ON mailbox_entries (user_id, folder, sort_at DESC, message_id DESC);
CREATE INDEX mailbox_unread ON mailbox_entries (user_id, folder, sort_at DESC, message_id DESC)
  WHERE is_read = 0;

CREATE TABLE folder_counters (
  user_id INTEGER NOT NULL,
  folder  TEXT NOT NULL,
  total   INTEGER NOT NULL DEFAULT 0,
  unread  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, folder)
) WITHOUT ROWID;

CREATE TABLE blobs (
  id          TEXT PRIMARY KEY,
  sha256      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  type        TEXT NOT NULL,
  name        TEXT NOT NULL,
  uploader_id INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX blobs_sha256 ON blobs (sha256);

CREATE TABLE message_attachments (
  message_id INTEGER NOT NULL,
  position   INTEGER NOT NULL,
  blob_id    TEXT NOT NULL,
  PRIMARY KEY (message_id, position)
) WITHOUT ROWID;
CREATE INDEX message_attachments_blob ON message_attachments (blob_id);

CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  message_id INTEGER,
  title      TEXT NOT NULL,
  text       TEXT NOT NULL,
  url        TEXT,
  is_read    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE TABLE communication_rules (
  id         INTEGER PRIMARY KEY,
  from_group INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  to_group   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  UNIQUE (from_group, to_group)
);

-- The inbox's unread count lives in folder_counters from now on.
ALTER TABLE user_counters DROP COLUMN inbox_unread;
)sql",
    // 3: push devices.
    R"sql(
CREATE TABLE devices (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  platform   TEXT NOT NULL CHECK (platform IN ('webpush', 'apns', 'fcm')),
  name       TEXT NOT NULL DEFAULT '',
  address    TEXT NOT NULL,
  p256dh     TEXT NOT NULL DEFAULT '',
  auth       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX devices_address ON devices (platform, address);
CREATE INDEX devices_user ON devices (user_id, id);
)sql",
    // 4: notices' push part, and the outbox. A queued row is due at next_attempt_at; a worker's
    // claim leases it (leased = 1) by moving next_attempt_at past the lease.
    R"sql(
ALTER TABLE messages ADD COLUMN push_title TEXT;
ALTER TABLE messages ADD COLUMN push_text TEXT;
ALTER TABLE messages ADD COLUMN push_url TEXT;

CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  message_id      INTEGER NOT NULL,
  user_id         INTEGER NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('email', 'push')),
  device_id       INTEGER,
  address         TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL
                  CHECK (status IN ('queued', 'sent', 'failed', 'no_device', 'no_address',
                                    'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  leased          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX deliveries_message ON deliveries (message_id, id);
CREATE INDEX deliveries_due ON deliveries (channel, next_attempt_at) WHERE status = 'queued';
)sql",
    // 5: broadcasts. One row per recipient keyed (broadcast, user): a send appends. A user's
    // inbox copy and bell item of a broadcast are derived from that row and the broadcast's
    // shared bell item (a notifications row of user 0). `pending` is the work owed after the
    // commit: 1 delivery rows (written for recipients past fanout_after), 2 cleaning up after a
    // retraction, 0 none. A retracted broadcast stays as a tombstone.
    R"sql(
CREATE TABLE broadcasts (
  message_id    INTEGER PRIMARY KEY,
  author_id     INTEGER NOT NULL,
  channels      INTEGER NOT NULL,
  sent_at       INTEGER NOT NULL,
  recipients    INTEGER NOT NULL,
  read_count    INTEGER NOT NULL DEFAULT 0,
  replied_count INTEGER NOT NULL DEFAULT 0,
  bell_id       INTEGER,
  pending       INTEGER NOT NULL DEFAULT 0,
  fanout_after  INTEGER NOT NULL DEFAULT 0,
  retracted_at  INTEGER
);
CREATE INDEX broadcasts_author ON broadcasts (author_id, message_id) WHERE retracted_at IS NULL;
CREATE INDEX broadcasts_live ON broadcasts (sent_at, message_id) WHERE retracted_at IS NULL;
CREATE INDEX broadcasts_work ON broadcasts (message_id) WHERE pending <> 0;

CREATE TABLE broadcast_recipients (
  message_id   INTEGER NOT NULL,
  user_id      INTEGER NOT NULL,
  read_at      INTEGER,
  replied_at   INTEGER,
  reply_thread INTEGER,
  bell         INTEGER NOT NULL DEFAULT 0,  -- 0 unread, 1 read, 2 deleted
  PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;
)sql",
    // 6: a mail to many users whose inbox copies, bell items and counters are written after
    // the send's commit, a slice of recipients per transaction: the row counts the recipients
    // written so far and goes once all are; the store finishes what is left when it opens.
    R"sql(
CREATE TABLE mail_fanouts (
  message_id INTEGER PRIMARY KEY,
  recipients TEXT NOT NULL,  -- JSON array of user ids
  title      TEXT NOT NULL,  -- their bell item
  text       TEXT NOT NULL,
  written    INTEGER NOT NULL DEFAULT 0
);
)sql",
    // 7: a user's bell counts move into folder_counters as the row 'bell' (total: own bell
    // items, unread: the unread ones), next to the inbox's row: a new mail then changes one
    // counters page of its recipient instead of two.
    R"sql(
INSERT INTO folder_counters (user_id, folder, total, unread)
  SELECT c.user_id, 'bell',
         (SELECT count(*) FROM notifications n WHERE n.user_id = c.user_id),
         c.notifications_unread
  FROM user_counters c
  WHERE EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = c.user_id);
DROP TABLE user_counters;
)sql",
};

}  // namespace

int latest_schema_version() noexcept {
  return static_cast<int>(kMigrations.size());
}

void migrate(Connection& connection, int up_to) {
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
  for (std::int64_t version = current + 1; version <= std::min(up_to, latest_schema_version());
       ++version) {
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
