#include "store/sqlite/sqlite_writer.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "common/metrics.hpp"
#include "common/thread_name.hpp"

namespace herald::sqlite {
namespace {

// Prepared once per connection like any statement: compiling them for every job costs more
// than running them.
const Query kBegin{"BEGIN IMMEDIATE"};
const Query kSavepoint{"SAVEPOINT job"};
const Query kRollbackToSavepoint{"ROLLBACK TO job"};
const Query kReleaseSavepoint{"RELEASE job"};
const Query kCommit{"COMMIT"};

void run_statement(Connection& connection, const Query& query) {
  connection.prepare(query)->run();
}

// The connection's commits leave the flush to the syncer (synchronous NORMAL: checkpoints, and
// the header of a WAL that starts over, still sync).
std::unique_ptr<Connection> without_commit_syncs(std::unique_ptr<Connection> connection) {
  connection->exec("PRAGMA synchronous = NORMAL");
  return connection;
}

}  // namespace

Writer::Writer(std::unique_ptr<Connection> connection, BetweenGroups between_groups,
               std::function<void()> before_flush)
    : connection_(without_commit_syncs(std::move(connection))),
      between_groups_(std::move(between_groups)),
      syncer_(connection_->wal_path(), std::move(before_flush)),
      thread_([this] { loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Writer::submit(Job job, Done done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Pending{std::move(job), std::move(done)});
  }
  wake_.notify_one();
}

void Writer::submit_background(Job job, Done done) {
  {
    std::lock_guard lock(mutex_);
    background_.push_back(Pending{std::move(job), std::move(done)});
  }
  wake_.notify_one();
}

bool Writer::run(Job job) {
  // A condition variable sleeps in the kernel at once; std::binary_semaphore spins with
  // sched_yield first, which burns the CPU that the writer and the I/O threads need.
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool committed = false;
  submit(std::move(job), [&](bool ok) {
    std::lock_guard lock(mutex);
    committed = ok;
    done = true;
    finished.notify_one();
  });
  std::unique_lock lock(mutex);
  finished.wait(lock, [&] { return done; });
  return committed;
}

void Writer::loop() {
  name_this_thread("herald-writer");
  Group group;
  std::vector<Pending> arrived;
  for (;;) {
    bool flush_idle = false;
    {
      std::unique_lock lock(mutex_);
      group_open_ = group.open;
      wake_.wait(lock, [&] {
        return !queue_.empty() || (!background_.empty() && !group.has_background) ||
               (group.open && unsettled_ == 0) || (stopping_ && unsettled_ == 0);
      });
      if (stopping_ && !group.open && unsettled_ == 0 && queue_.empty() && background_.empty()) {
        break;
      }
      std::size_t room = kMaxGroup - std::min(kMaxGroup, group.jobs.size());
      std::size_t taken = std::min(room, queue_.size());
      std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken),
                std::back_inserter(arrived));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
      if (!group.has_background && !background_.empty()) {
        arrived.push_back(std::move(background_.front()));
        background_.pop_front();
        group.has_background = true;
      }
      flush_idle = unsettled_ == 0 || stopping_;
    }
    if (!arrived.empty()) {
      run_jobs(group, arrived);
      arrived.clear();
    }
    // While the syncer flushes earlier commits, later jobs gather in the open transaction: one
    // commit then writes each shared page once for all of them, and costs no one time, since
    // none of them could be flushed before that flush ends anyway.
    if (group.open && (flush_idle || group.jobs.size() >= kMaxGroup)) commit(group);
  }
}

void Writer::run_jobs(Group& group, std::vector<Pending>& jobs) {
  auto started = std::chrono::steady_clock::now();
  if (!group.open) {
    if (between_groups_) between_groups_(*connection_);
    try {
      run_statement(*connection_, kBegin);
      group.open = true;
    } catch (const std::exception& e) {
      spdlog::error("store transaction could not begin: {}", e.what());
      for (auto& job : jobs) group.jobs.push_back({std::move(job.done), false});
      settle(group);
      return;
    }
  }
  for (auto& job : jobs) {
    bool keep = false;
    try {
      run_statement(*connection_, kSavepoint);
      try {
        keep = job.job(*connection_);
      } catch (const std::exception& e) {
        spdlog::error("store write failed: {}", e.what());
      }
      if (!keep) run_statement(*connection_, kRollbackToSavepoint);
      run_statement(*connection_, kReleaseSavepoint);
    } catch (const std::exception& e) {
      spdlog::error("store write could not be undone: {}", e.what());
      group.broken = true;
    }
    group.jobs.push_back({std::move(job.done), keep});
  }
  group.busy += std::chrono::steady_clock::now() - started;
}

void Writer::commit(Group& group) {
  auto started = std::chrono::steady_clock::now();
  bool committed = false;
  try {
    if (group.broken) throw std::runtime_error("a savepoint could not be released");
    run_statement(*connection_, kCommit);
    committed = true;
  } catch (const std::exception& e) {
    spdlog::error("store commit failed: {}", e.what());
    try {
      connection_->exec("ROLLBACK");
    } catch (const std::exception&) {
      // Nothing more to undo: SQLite rolls back by itself on some errors.
    }
  }
  auto& m = metrics();
  if (committed) m.store_commits.fetch_add(1, std::memory_order_relaxed);
  if (!committed) {
    for (auto& job : group.jobs) job.kept = false;
  }
  group.busy += std::chrono::steady_clock::now() - started;
  m.store_commit_seconds.observe(std::chrono::duration<double>(group.busy).count());
  settle(group);
}

void Writer::settle(Group& group) {
  auto& m = metrics();
  std::size_t failures = 0;
  for (const auto& job : group.jobs) failures += job.kept ? 0 : 1;
  m.store_writes.fetch_add(group.jobs.size(), std::memory_order_relaxed);
  m.store_write_failures.fetch_add(failures, std::memory_order_relaxed);
  {
    std::lock_guard lock(mutex_);
    ++unsettled_;
  }
  // A group that failed waits for the flush too, so that callbacks keep the order of commits.
  syncer_.after_commit([this, jobs = std::move(group.jobs)] {
    for (const auto& job : jobs) job.done(job.kept);
    bool awaited = false;
    {
      std::lock_guard lock(mutex_);
      --unsettled_;
      awaited = unsettled_ == 0 && (group_open_ || stopping_);
    }
    // Only a writer holding a group for this flush, or stopping, waits for it: waking an idle
    // one costs it two context switches for nothing, once per commit under a light load.
    if (awaited) wake_.notify_one();
  });
  group = Group{};
}

}  // namespace herald::sqlite
