#include "store/sqlite/sqlite_writer.hpp"

#include <atomic>
#include <functional>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/metrics.hpp"
#include "support/herald_process.hpp"

namespace herald::sqlite {
namespace {

const Query kInsert{"INSERT INTO t (v) VALUES (?)"};
const Query kCount{"SELECT COUNT(*), COALESCE(SUM(v), 0) FROM t"};

std::pair<std::int64_t, std::int64_t> count_and_sum(const std::string& path) {
  Connection reader(path, Connection::Mode::reader);
  auto stmt = reader.prepare(kCount);
  stmt->step();
  return {stmt->column_int(0), stmt->column_int(1)};
}

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (dir_.path() / "w.db").string();
    auto connection = std::make_unique<Connection>(path_, Connection::Mode::writer);
    connection->exec("CREATE TABLE t (v INTEGER NOT NULL)");
    writer_ = std::make_unique<Writer>(std::move(connection));
  }

  // Keeps the writer busy in a job until `release` is released, so that the jobs submitted
  // meanwhile queue up and commit as one group.
  void hold_writer(std::binary_semaphore& release) {
    std::binary_semaphore started{0};
    writer_->submit(
        [&](Connection&) {
          started.release();
          release.acquire();
          return true;
        },
        [](bool) {});
    started.acquire();
  }

  test::TempDir dir_;
  std::string path_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(WriterTest, AFailedJobIsRolledBackAloneWithinItsGroup) {
  std::binary_semaphore release{0};
  hold_writer(release);

  std::atomic<int> committed{0}, refused{0};
  std::atomic<int> finished{0};
  auto count = [&](bool ok) {
    (ok ? committed : refused).fetch_add(1);
    finished.fetch_add(1);
  };
  writer_->submit(
      [](Connection& c) {
        c.prepare(kInsert)->bind(1, 1).run();
        return true;
      },
      count);
  writer_->submit(
      [](Connection& c) {
        c.prepare(kInsert)->bind(1, 100).run();
        return false;
      },
      count);
  writer_->submit(
      [](Connection& c) -> bool {
        c.prepare(kInsert)->bind(1, 1000).run();
        throw std::runtime_error("boom");
      },
      count);
  writer_->submit(
      [](Connection& c) {
        c.prepare(kInsert)->bind(1, 2).run();
        return true;
      },
      count);
  release.release();
  while (finished.load() < 4) std::this_thread::yield();

  EXPECT_EQ(committed.load(), 2);
  EXPECT_EQ(refused.load(), 2);
  auto [rows, sum] = count_and_sum(path_);
  EXPECT_EQ(rows, 2);
  EXPECT_EQ(sum, 3);
}

TEST_F(WriterTest, ConcurrentWritersShareCommits) {
  constexpr int kThreads = 16;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_TRUE(writer_->run([](Connection& c) {
          c.prepare(kInsert)->bind(1, 1).run();
          return true;
        }));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(count_and_sum(path_).first, kThreads * kEach);
}

TEST_F(WriterTest, FinishesQueuedJobsWhenDestroyed) {
  std::atomic<int> done{0};
  for (int i = 0; i < 100; ++i) {
    writer_->submit(
        [](Connection& c) {
          c.prepare(kInsert)->bind(1, 1).run();
          return true;
        },
        [&](bool ok) { done += ok ? 1 : 0; });
  }
  writer_.reset();
  EXPECT_EQ(done.load(), 100);
  EXPECT_EQ(count_and_sum(path_).first, 100);
}

// The copies of a large send are background jobs: a group takes every waiting request's job and
// at most one background job, after them.
TEST_F(WriterTest, BackgroundJobsGoOneAGroupAfterTheOthers) {
  auto commits_before = metrics().store_commits.load();
  std::binary_semaphore release{0};
  hold_writer(release);

  std::mutex mutex;
  std::vector<std::string> events;
  std::atomic<int> finished{0};
  auto submit = [&](bool background, const std::string& name) {
    auto job = [&, name](Connection& c) {
      c.prepare(kInsert)->bind(1, 1).run();
      std::lock_guard lock(mutex);
      events.push_back("run " + name);
      return true;
    };
    auto done = [&, name](bool ok) {
      std::lock_guard lock(mutex);
      events.push_back((ok ? "done " : "failed ") + name);
      finished.fetch_add(1);
    };
    if (background) {
      writer_->submit_background(job, done);
    } else {
      writer_->submit(job, done);
    }
  };
  submit(true, "b1");
  submit(true, "b2");
  submit(false, "r1");
  submit(false, "r2");
  release.release();
  while (finished.load() < 4) std::this_thread::yield();

  // r1, r2 and b1 share a commit; b2 may run while that commit is being flushed, and commits
  // after it.
  std::vector<std::string> runs, dones;
  for (const auto& event : events) (event.starts_with("run") ? runs : dones).push_back(event);
  EXPECT_EQ(runs, (std::vector<std::string>{"run r1", "run r2", "run b1", "run b2"}));
  EXPECT_EQ(dones, (std::vector<std::string>{"done r1", "done r2", "done b1", "done b2"}));
  EXPECT_EQ(metrics().store_commits.load() - commits_before, 3u);  // the held job's, and two
  EXPECT_EQ(count_and_sum(path_).first, 4);
}

TEST_F(WriterTest, FinishesBackgroundJobsAndTheirFollowersWhenDestroyed) {
  std::atomic<int> done{0};
  Writer* writer = writer_.get();  // reset() empties writer_ before destroying the writer
  std::function<void(int)> chain = [&](int left) {
    writer->submit_background(
        [](Connection& c) {
          c.prepare(kInsert)->bind(1, 1).run();
          return true;
        },
        [&, left](bool ok) {
          done += ok ? 1 : 0;
          if (left > 1) chain(left - 1);  // submitted while the writer is stopping
        });
  };
  chain(5);
  writer_.reset();
  EXPECT_EQ(done.load(), 5);
  EXPECT_EQ(count_and_sum(path_).first, 5);
}

// A job's callback says it is committed only once a flush of the WAL begun after its commit has
// finished; jobs that arrive during that flush gather in one transaction, invisible to readers
// until it commits once the flush is over.
TEST(WriterFlush, CallbacksWaitForTheFlushAndLaterJobsGatherMeanwhile) {
  test::TempDir dir;
  std::string path = (dir.path() / "f.db").string();
  auto connection = std::make_unique<Connection>(path, Connection::Mode::writer);
  connection->exec("CREATE TABLE t (v INTEGER NOT NULL)");
  std::binary_semaphore flushing{0}, may_flush{0};
  auto writer = std::make_unique<Writer>(std::move(connection), Writer::BetweenGroups{}, [&] {
    flushing.release();
    may_flush.acquire();
  });
  auto commits_before = metrics().store_commits.load();
  std::atomic<int> done{0};
  auto insert = [&](std::int64_t v) {
    writer->submit(
        [v](Connection& c) {
          c.prepare(kInsert)->bind(1, v).run();
          return true;
        },
        [&](bool ok) { done += ok ? 1 : 0; });
  };

  insert(1);
  flushing.acquire();                       // the first commit is being flushed
  EXPECT_EQ(count_and_sum(path).first, 1);  // committed, so visible, but not yet acknowledged
  for (std::int64_t v = 2; v <= 6; ++v) insert(v);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(done.load(), 0);
  EXPECT_EQ(count_and_sum(path).first, 1);  // the others run, uncommitted, while it flushes
  EXPECT_EQ(metrics().store_commits.load() - commits_before, 1u);

  may_flush.release();  // the first flush ends: its job is acknowledged, the rest commit
  flushing.acquire();   // and their flush begins
  while (done.load() < 1) std::this_thread::yield();
  EXPECT_EQ(done.load(), 1);
  EXPECT_EQ(count_and_sum(path), std::make_pair(std::int64_t{6}, std::int64_t{21}));
  EXPECT_EQ(metrics().store_commits.load() - commits_before, 2u);

  may_flush.release();
  while (done.load() < 6) std::this_thread::yield();
  may_flush.release();  // for a flush at shutdown, if any
  writer.reset();
}

}  // namespace
}  // namespace herald::sqlite
