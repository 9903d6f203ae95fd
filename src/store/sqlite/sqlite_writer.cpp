#include "store/sqlite/sqlite_writer.hpp"

#include <chrono>

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

}  // namespace

Writer::Writer(std::unique_ptr<Connection> connection, BetweenGroups between_groups)
    : connection_(std::move(connection)),
      between_groups_(std::move(between_groups)),
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
  std::vector<Pending> group;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty() || !background_.empty(); });
      if (queue_.empty() && background_.empty()) return;  // stopping, and nothing left to do
      if (queue_.size() <= kMaxGroup) {
        group.swap(queue_);
      } else {
        group.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + kMaxGroup));
        queue_.erase(queue_.begin(), queue_.begin() + kMaxGroup);
      }
      if (!background_.empty()) {
        group.push_back(std::move(background_.front()));
        background_.pop_front();
      }
    }
    if (between_groups_) between_groups_(*connection_);
    commit_group(group);
    group.clear();
  }
}

void Writer::commit_group(std::vector<Pending>& group) {
  auto started = std::chrono::steady_clock::now();
  std::vector<bool> kept(group.size(), false);
  bool committed = false;
  try {
    run_statement(*connection_, kBegin);
    for (std::size_t i = 0; i < group.size(); ++i) {
      run_statement(*connection_, kSavepoint);
      bool keep = false;
      try {
        keep = group[i].job(*connection_);
      } catch (const std::exception& e) {
        spdlog::error("store write failed: {}", e.what());
      }
      if (!keep) run_statement(*connection_, kRollbackToSavepoint);
      run_statement(*connection_, kReleaseSavepoint);
      kept[i] = keep;
    }
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
  std::size_t failures = 0;
  for (std::size_t i = 0; i < group.size(); ++i) {
    bool ok = committed && kept[i];
    if (!ok) ++failures;
    group[i].done(ok);
  }
  m.store_writes.fetch_add(group.size(), std::memory_order_relaxed);
  m.store_write_failures.fetch_add(failures, std::memory_order_relaxed);
  m.store_commit_seconds.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

}  // namespace herald::sqlite
