// The single writer of a SQLite store: runs write jobs on its own thread and commits concurrent
// jobs together (group commit), so one fsync serves many writers.
//
// Each job runs inside its own SAVEPOINT: a job that fails (returns false or throws) is rolled
// back alone and the rest of its group still commits. `done(true)` is called only after the
// group's COMMIT returned, i.e. once the job's writes are durable.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite {

class Writer {
 public:
  // Returns true to keep the job's writes, false to roll them back.
  using Job = std::function<bool(Connection&)>;
  // Called on the writer thread with whether the job's writes were committed.
  using Done = std::function<void(bool committed)>;

  static constexpr std::size_t kMaxGroup = 512;

  // Runs on the writer thread before each group, with no transaction open (the WAL's upkeep).
  using BetweenGroups = std::function<void(Connection&)>;

  explicit Writer(std::unique_ptr<Connection> connection, BetweenGroups between_groups = {});
  ~Writer();  // finishes every job already submitted, then stops
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void submit(Job job, Done done);
  // Work that no request waits for (the copies of a large send, a slice per job): each group
  // commit takes at most one such job, after the others, so that it neither delays a request's
  // write by more than one job nor starves under a steady stream of them.
  void submit_background(Job job, Done done);

  // Runs `job` and waits for its commit. Returns whether it was committed.
  bool run(Job job);

 private:
  struct Pending {
    Job job;
    Done done;
  };

  void loop();
  void commit_group(std::vector<Pending>& group);

  std::unique_ptr<Connection> connection_;
  BetweenGroups between_groups_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Pending> queue_;
  std::deque<Pending> background_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::sqlite
