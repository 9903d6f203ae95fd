// SQLite's own page cache, with one cost taken out of every commit.
//
// At the end of each write transaction SQLite truncates the connection's page cache to the
// database's size. The built-in cache does that cheaply only while the largest page number it
// has seen since the last truncation is close to that size. But when a B-tree page splits,
// SQLite swaps the new pages' numbers through a temporary one, the lock-byte page (262,145 with
// 4 KiB pages), and the cache then believes it may hold pages up to there: the next commit
// walks the whole hash table (16,384 slots and ~10,000 pages for the writer's 64 MiB cache).
// Under a stream of one-recipient sends a fifth of all commits paid that walk, about a tenth of
// a core on the writer thread.
//
// This wraps the built-in cache and keeps its own upper bound of the page numbers it holds,
// following pages through those swaps; a truncation that cannot drop anything is skipped.
#pragma once

#include <cstdint>

namespace herald::sqlite {

// Installs the wrapper. Must run before sqlite3_initialize(); once per process.
void install_page_cache();

// Since start, for tests: truncations passed on to SQLite's cache and skipped, and pages
// renumbered.
struct PageCacheCounts {
  std::uint64_t truncations_passed = 0;
  std::uint64_t truncations_skipped = 0;
  std::uint64_t renumberings = 0;
};
PageCacheCounts page_cache_counts() noexcept;

}  // namespace herald::sqlite
