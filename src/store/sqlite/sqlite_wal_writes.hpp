// One write(2) per commit into the WAL.
//
// SQLite writes each WAL frame with two calls, its 24-byte header and then its page, so a
// one-recipient send, which commits about 14 frames, cost 28 system calls on the writer thread.
// This VFS wraps the default one and, for WAL files only, gathers consecutive writes in memory
// and writes them with one call when the commit frame's page arrives (a frame header with a
// non-zero database size marks it), before SQLite makes the frames visible to readers. An error
// of that write is returned to the commit, which then fails and rolls back as it would have.
//
// Every other call on the WAL (a read, a sync, its size) writes what is gathered first, and so
// does every call on the shared-memory index of its database (the barrier and the locks SQLite
// takes before it publishes a commit), so no reader or checkpoint ever sees a frame that is not
// in the file. Database files, journals and temporary files are passed through untouched.
#pragma once

#include <cstdint>

namespace herald::sqlite {

// Registers the VFS as the default. Once per process, after sqlite3_initialize().
void install_wal_write_gathering();

// Since start, for tests: writes SQLite made to WAL files, and write(2)s that carried them.
struct WalWriteCounts {
  std::uint64_t writes = 0;
  std::uint64_t flushes = 0;
};
WalWriteCounts wal_write_counts() noexcept;

}  // namespace herald::sqlite
