// The single writer of a SQLite store: runs write jobs on its own thread and commits concurrent
// jobs together (group commit), so one fsync serves many writers.
//
// Each job runs inside its own SAVEPOINT: a job that fails (returns false or throws) is rolled
// back alone and the rest of its group still commits. `done(true)` is called only once the
// job's writes are durable: the connection commits without syncing, and a WalSyncer flushes
// the WAL for every group committed meanwhile before calling back (see sqlite_wal_syncer.hpp),
// while this thread runs the next group.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_wal_syncer.hpp"

namespace herald::sqlite {

class Writer {
 public:
  // Returns true to keep the job's writes, false to roll them back.
  using Job = std::function<bool(Connection&)>;
  // Called on the syncer's thread with whether the job's writes were committed and are on
  // disk, in the order the jobs' groups committed.
  using Done = std::function<void(bool committed)>;

  static constexpr std::size_t kMaxGroup = 512;

  // Runs on the writer thread before each group, with no transaction open (the WAL's upkeep).
  using BetweenGroups = std::function<void(Connection&)>;

  // Takes a WAL-mode connection. `before_flush` is for tests (see WalSyncer).
  explicit Writer(std::unique_ptr<Connection> connection, BetweenGroups between_groups = {},
                  std::function<void()> before_flush = {});
  ~Writer();  // finishes every job already submitted, then stops
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void submit(Job job, Done done);
  // Work that no request waits for (the copies of a large send, a slice per job): each group
  // commit takes at most one such job, after the others, so that it neither delays a request's
  // write by more than one job nor starves under a steady stream of them.
  void submit_background(Job job, Done done);

  // Runs `job` and waits until it is committed and durable. Returns whether it was committed.
  bool run(Job job);

 private:
  struct Pending {
    Job job;
    Done done;
  };

  // The open transaction: the jobs run in it so far, each with whether it is kept.
  struct Group {
    struct Ran {
      Done done;
      bool kept;
    };
    std::vector<Ran> jobs;
    bool open = false;
    bool has_background = false;
    bool broken = false;  // a savepoint failed: the whole group is rolled back
    std::chrono::steady_clock::duration busy{};
  };

  void loop();
  void run_jobs(Group& group, std::vector<Pending>& jobs);
  void commit(Group& group);
  // Hands the group's callbacks to the syncer and starts a new group.
  void settle(Group& group);

  std::unique_ptr<Connection> connection_;
  BetweenGroups between_groups_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Pending> queue_;
  std::deque<Pending> background_;
  // Groups committed whose callbacks have not run: those may still submit work.
  std::size_t unsettled_ = 0;
  bool group_open_ = false;  // the writer's group, as of its last wait
  bool stopping_ = false;
  WalSyncer syncer_;  // its callbacks use the members above
  std::thread thread_;
};

}  // namespace herald::sqlite
