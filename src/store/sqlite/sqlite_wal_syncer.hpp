// Makes the writer's commits durable off the writer's thread. The writer commits with
// `synchronous = NORMAL`, so a COMMIT only hands its WAL frames to the kernel (checkpoints, and
// the header of a WAL that starts over, are still synced by SQLite); this thread then
// flushes the WAL with one fdatasync for every commit made while the previous one ran, and only
// after that calls back. The writer goes on with the next group while the disk works, so a
// slow flush delays the replies waiting for it, not the writes queued behind them.
//
// What "ok" means is unchanged: a callback runs only once a flush that began after its COMMIT
// returned has finished. A commit is visible to readers from its COMMIT on, before it is on
// disk; a power failure in that window loses it, and nobody was told it had succeeded.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace herald::sqlite {

class WalSyncer {
 public:
  using Durable = std::function<void()>;

  // Flushes the file at `wal_path` (which must exist) with fdatasync; syncs its folder once,
  // so that the file itself is found after a power failure. `before_flush`, if given, runs on
  // the syncer's thread before each flush (tests hold flushes back with it).
  explicit WalSyncer(const std::string& wal_path, std::function<void()> before_flush = {});
  ~WalSyncer();  // flushes and calls back what is pending, then stops
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // Writer thread, after a COMMIT returned: `durable` runs on this syncer's thread once a
  // flush begun after this call has finished. Callbacks run in the order they were given.
  void after_commit(Durable durable);

 private:
  void loop();

  const std::string wal_path_;
  const int fd_;
  std::function<void()> before_flush_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Durable> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::sqlite
