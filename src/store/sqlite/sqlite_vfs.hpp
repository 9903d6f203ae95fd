// The store's VFS: the platform's own, wrapped for two jobs.
//
// 1. One write(2) per commit into the WAL. SQLite writes each WAL frame with two calls, its
//    24-byte header and then its page, so a one-recipient send, which commits about 14 frames,
//    cost 28 system calls on the writer thread. For WAL files, consecutive writes are gathered
//    in memory and written with one call when the commit frame's page arrives (a frame header
//    with a non-zero database size marks it), before SQLite makes the frames visible to
//    readers. An error of that write is returned to the commit, which then fails and rolls back
//    as it would have. Every other call on the WAL (a read, a sync, its size) writes what is
//    gathered first, and so does every call on the shared-memory index of its database (the
//    barrier and the locks SQLite takes before it publishes a commit), so no reader or
//    checkpoint ever sees a frame that is not in the file.
//
// 2. Background copies that give way. A connection given kYieldEvery (the checkpointer's)
//    yields its core every so many pages it writes to its database file. A checkpoint pass
//    copies thousands of pages in one call, 25-35 ms of a core; Linux's scheduler lets a
//    running thread finish its time slice before a thread that just woke up runs, whatever
//    their nice levels, so on a two-core machine every send's threads queued behind it.
//
// Everything else (journals, temporary files) is passed through untouched.
#pragma once

#include <cstdint>

namespace herald::sqlite {

// Registers the VFS as the default. Once per process, after sqlite3_initialize().
void install_vfs();

// A file control on a connection's "main" database (argument: an int*, pages): from then on
// its writes to the database file yield the core after every that many pages; 0 stops it.
constexpr int kYieldEvery = 0x48524c01;

// Since start, for tests: writes SQLite made to WAL files, the write(2)s that carried them, and
// the yields of connections given kYieldEvery.
struct VfsCounts {
  std::uint64_t wal_writes = 0;
  std::uint64_t wal_flushes = 0;
  std::uint64_t yields = 0;
};
VfsCounts vfs_counts() noexcept;

}  // namespace herald::sqlite
