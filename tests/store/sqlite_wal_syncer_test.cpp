#include "store/sqlite/sqlite_wal_syncer.hpp"

#include <chrono>
#include <fstream>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/herald_process.hpp"

namespace herald::sqlite {
namespace {

// A commit's callback runs only after a flush that began after the commit: one handed over
// while a flush is under way waits for the next one.
TEST(WalSyncer, CallsBackAfterAFlushBegunAfterTheCommit) {
  test::TempDir dir;
  std::string wal = (dir.path() / "s.db-wal").string();
  std::ofstream(wal) << "frames";
  std::mutex mutex;
  std::vector<std::string> events;
  auto log = [&](const std::string& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
  };
  std::binary_semaphore flushing{0}, may_flush{0};
  std::counting_semaphore<8> called{0};
  {
    WalSyncer syncer(wal, [&] {
      log("flush");
      flushing.release();
      may_flush.acquire();
    });
    syncer.after_commit([&] {
      log("a");
      called.release();
    });
    flushing.acquire();
    syncer.after_commit([&] {
      log("b");
      called.release();
    });
    syncer.after_commit([&] {
      log("c");
      called.release();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(events, std::vector<std::string>{"flush"});  // nothing acknowledged yet

    may_flush.release();
    called.acquire();
    flushing.acquire();  // b and c wait for a flush of their own, which serves both
    {
      std::lock_guard lock(mutex);
      EXPECT_EQ(events, (std::vector<std::string>{"flush", "a", "flush"}));
    }
    may_flush.release();
    called.acquire();
    called.acquire();
  }
  EXPECT_EQ(events, (std::vector<std::string>{"flush", "a", "flush", "b", "c"}));
}

TEST(WalSyncer, FlushesWhatIsPendingWhenDestroyed) {
  test::TempDir dir;
  std::string wal = (dir.path() / "s.db-wal").string();
  std::ofstream(wal) << "frames";
  int called = 0;
  {
    WalSyncer syncer(wal);
    for (int i = 0; i < 10; ++i) syncer.after_commit([&] { ++called; });
  }
  EXPECT_EQ(called, 10);
}

TEST(WalSyncer, RefusesAMissingFile) {
  test::TempDir dir;
  EXPECT_THROW(WalSyncer((dir.path() / "none-wal").string()), std::runtime_error);
}

}  // namespace
}  // namespace herald::sqlite
