// mailbox_generator: fills a fresh herald data folder with users, one large group and millions
// of mailbox entries, so that the mail bars can be measured on a store of realistic size.
//
//   mailbox_generator --data DIR [--users 100000] [--entries 10000000] [--group-size 10000]
//                     [--push-endpoint URL]
//
// Every user, "admin" included, gets the password "bench-password". Users are user1..userN;
// the group "bench-group" holds the first --group-size of them. Each message has one author
// copy (sent) and nine recipient copies (inbox, a quarter of them unread). With
// --push-endpoint, every user also gets an email address (userN@bench.invalid) and a Web Push
// device whose endpoint is URL/N, for the notice bars.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "core/password_hasher.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

using namespace herald;
using herald::sqlite::Connection;
using herald::sqlite::Query;

namespace {

const Query kInsertUser{
    "INSERT INTO users (id, username, display_name, email, role, password_hash, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"};
// A valid subscription's keys (RFC 8291's example receiver), the same for every device.
const Query kInsertDevice{
    "INSERT INTO devices (user_id, platform, name, address, p256dh, auth, created_at)"
    " VALUES (?, 'webpush', 'bench browser', ?,"
    " 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',"
    " 'BTBZMqHH6r4Tts7J_aSIgg', ?)"};
const Query kInsertGroup{
    "INSERT INTO groups (id, name, description, member_count, created_at) VALUES (1, 'bench-group',"
    " 'every benchmark user up to --group-size', ?, ?)"};
const Query kInsertMember{
    "INSERT INTO group_members (group_id, user_id, added_at) VALUES (1, ?, ?)"};
const Query kInsertMessage{
    "INSERT INTO messages (id, kind, author_id, thread_id, subject, body, body_html, snippet,"
    " to_addresses, is_draft, created_at, sent_at, copies)"
    " VALUES (?1, 'mail', ?2, ?1, ?3, 'Hello, this is a generated message.',"
    " '<p>Hello, this is a generated message.</p>', 'Hello, this is a generated message.', ?4, 0,"
    " ?5, ?5, 10)"};
const Query kInsertEntry{
    "INSERT INTO mailbox_entries (user_id, message_id, role, folder, origin, is_read, sort_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"};

struct Entry {
  std::int32_t user;
  std::int32_t message;
  bool author;
  bool read;
};

long arg(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == name) return std::stol(argv[i + 1]);
  }
  return fallback;
}

std::string arg_text(int argc, char** argv, const char* name) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == name) return argv[i + 1];
  }
  return "";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = arg_text(argc, argv, "--data");
  if (data.empty()) {
    std::fprintf(
        stderr, "usage: mailbox_generator --data DIR [--users N] [--entries N] [--group-size N]\n");
    return 2;
  }
  const long users = arg(argc, argv, "--users", 100000);
  const long entries = arg(argc, argv, "--entries", 10000000);
  const long group_size = std::min(users, arg(argc, argv, "--group-size", 10000));
  const std::string push_endpoint = arg_text(argc, argv, "--push-endpoint");
  const long messages = entries / 10;
  init_crypto();
  auto started = std::chrono::steady_clock::now();
  open_store({"", data, 1}).reset();  // creates the file and applies the migrations
  Connection db(data + "/herald.db", Connection::Mode::writer);
  db.exec("PRAGMA synchronous = OFF");
  db.exec("PRAGMA cache_size = -1000000");

  PasswordHasher hasher(PasswordHasher::interactive(), 1);
  std::string hash = hasher.hash("bench-password");
  TimeMs now = system_now_ms();
  db.exec("BEGIN");
  for (long id = 1; id <= users + 1; ++id) {
    bool admin = id == 1;
    std::string name = admin ? "admin" : "user" + std::to_string(id - 1);
    std::optional<std::string> email;
    if (!push_endpoint.empty() && !admin) email = name + "@bench.invalid";
    db.prepare(kInsertUser)
        ->bind(1, id)
        .bind(2, name)
        .bind(3, admin ? "Administrator" : "User " + std::to_string(id - 1))
        .bind_optional(4, email)
        .bind(5, admin ? "admin" : "user")
        .bind(6, hash)
        .bind(7, now)
        .run();
    if (email) {
      db.prepare(kInsertDevice)
          ->bind(1, id)
          .bind(2, push_endpoint + "/" + std::to_string(id))
          .bind(3, now)
          .run();
    }
  }
  db.prepare(kInsertGroup)->bind(1, group_size).bind(2, now).run();
  for (long id = 2; id < 2 + group_size; ++id)
    db.prepare(kInsertMember)->bind(1, id).bind(2, now).run();
  db.exec("COMMIT");
  std::printf("users and group: %.1f s\n", seconds_since(started));

  std::mt19937_64 random(42);
  std::uniform_int_distribution<long> pick_user(2, users + 1);
  std::vector<Entry> copies;
  copies.reserve(static_cast<std::size_t>(messages) * 10);
  TimeMs first = now - messages * 1000;  // one message a second, ending now
  db.exec("BEGIN");
  for (long m = 1; m <= messages; ++m) {
    auto author = static_cast<std::int32_t>(pick_user(random));
    db.prepare(kInsertMessage)
        ->bind(1, m)
        .bind(2, std::int64_t{author})
        .bind(3, "Generated message " + std::to_string(m))
        .bind(4, "user:2")
        .bind(5, first + m * 1000)
        .run();
    copies.push_back({author, static_cast<std::int32_t>(m), true, true});
    for (int r = 0; r < 9; ++r) {
      copies.push_back({static_cast<std::int32_t>(pick_user(random)), static_cast<std::int32_t>(m),
                        false, random() % 4 != 0});
    }
    if (m % 200000 == 0) {
      db.exec("COMMIT");
      db.exec("BEGIN");
    }
  }
  db.exec("COMMIT");
  std::printf("%ld messages: %.1f s\n", messages, seconds_since(started));

  // In key order, so that every insert appends to the B-trees instead of scattering.
  std::sort(copies.begin(), copies.end(), [](const Entry& a, const Entry& b) {
    return a.user != b.user         ? a.user < b.user
           : a.message != b.message ? a.message < b.message
                                    : a.author > b.author;
  });
  copies.erase(std::unique(copies.begin(), copies.end(),
                           [](const Entry& a, const Entry& b) {
                             return a.user == b.user && a.message == b.message &&
                                    a.author == b.author;
                           }),
               copies.end());
  db.exec("BEGIN");
  long written = 0;
  for (const Entry& e : copies) {
    const char* folder = e.author ? "sent" : "inbox";
    db.prepare(kInsertEntry)
        ->bind(1, std::int64_t{e.user})
        .bind(2, std::int64_t{e.message})
        .bind(3, std::int64_t{e.author ? 0 : 1})
        .bind(4, folder)
        .bind(5, folder)
        .bind(6, std::int64_t{e.read ? 1 : 0})
        .bind(7, first + std::int64_t{e.message} * 1000)
        .run();
    if (++written % 500000 == 0) {
      db.exec("COMMIT");
      db.exec("BEGIN");
      std::printf("  %ld entries: %.1f s\n", written, seconds_since(started));
      std::fflush(stdout);
    }
  }
  db.exec("COMMIT");
  db.exec(
      "INSERT INTO folder_counters (user_id, folder, total, unread)"
      " SELECT user_id, folder, COUNT(*), SUM(is_read = 0) FROM mailbox_entries GROUP BY user_id, "
      "folder");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::printf("%ld mailbox entries for %ld users in %.1f s\n", written, users,
              seconds_since(started));
  return 0;
}
