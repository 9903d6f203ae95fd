#include "store/sqlite/sqlite_page_cache.hpp"

#include <algorithm>
#include <atomic>
#include <new>
#include <unordered_map>

#include <sqlite3.h>

namespace herald::sqlite {
namespace {

sqlite3_pcache_methods2 builtin{};  // SQLite's own cache, which does the work
std::atomic<std::uint64_t> truncations_passed{0};
std::atomic<std::uint64_t> truncations_skipped{0};
std::atomic<std::uint64_t> renumberings{0};

// One connection's cache. SQLite calls a cache from one thread at a time (its connection's).
struct Cache {
  sqlite3_pcache* inner = nullptr;
  // No page in the cache has a larger number, except the pages in `renumbered`.
  unsigned bound = 0;
  // Pages renumbered since the last truncation, at their current numbers. A split moves a page
  // to the temporary number and away again within one call, so a bound that only grew would
  // keep the temporary number for good.
  std::unordered_map<sqlite3_pcache_page*, unsigned> renumbered;
};

Cache* cache(sqlite3_pcache* p) {
  return reinterpret_cast<Cache*>(p);
}

int init(void* arg) {
  return builtin.xInit ? builtin.xInit(arg) : SQLITE_OK;
}

void shutdown(void* arg) {
  if (builtin.xShutdown) builtin.xShutdown(arg);
}

sqlite3_pcache* create(int page_size, int extra_size, int purgeable) {
  sqlite3_pcache* inner = builtin.xCreate(page_size, extra_size, purgeable);
  if (!inner) return nullptr;
  auto* wrapped = new (std::nothrow) Cache;
  if (!wrapped) {
    builtin.xDestroy(inner);
    return nullptr;
  }
  wrapped->inner = inner;
  return reinterpret_cast<sqlite3_pcache*>(wrapped);
}

void cache_size(sqlite3_pcache* p, int pages) {
  builtin.xCachesize(cache(p)->inner, pages);
}

int page_count(sqlite3_pcache* p) {
  return builtin.xPagecount(cache(p)->inner);
}

sqlite3_pcache_page* fetch(sqlite3_pcache* p, unsigned key, int create_flag) {
  Cache* c = cache(p);
  if (create_flag != 0) c->bound = std::max(c->bound, key);  // it may be created
  return builtin.xFetch(c->inner, key, create_flag);
}

void unpin(sqlite3_pcache* p, sqlite3_pcache_page* page, int discard) {
  Cache* c = cache(p);
  if (discard) c->renumbered.erase(page);
  builtin.xUnpin(c->inner, page, discard);
}

void rekey(sqlite3_pcache* p, sqlite3_pcache_page* page, unsigned old_key, unsigned new_key) {
  Cache* c = cache(p);
  c->renumbered[page] = new_key;
  renumberings.fetch_add(1, std::memory_order_relaxed);
  builtin.xRekey(c->inner, page, old_key, new_key);
}

void truncate(sqlite3_pcache* p, unsigned limit) {
  Cache* c = cache(p);
  unsigned highest = c->bound;
  for (const auto& [page, key] : c->renumbered) highest = std::max(highest, key);
  c->renumbered.clear();
  if (highest < limit) {  // nothing at or past `limit`: nothing to drop
    c->bound = highest;
    truncations_skipped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  builtin.xTruncate(c->inner, limit);
  c->bound = limit > 0 ? limit - 1 : 0;
  truncations_passed.fetch_add(1, std::memory_order_relaxed);
}

void destroy(sqlite3_pcache* p) {
  Cache* c = cache(p);
  builtin.xDestroy(c->inner);
  delete c;
}

void shrink(sqlite3_pcache* p) {
  builtin.xShrink(cache(p)->inner);
}

}  // namespace

void install_page_cache() {
  if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &builtin) != SQLITE_OK || !builtin.xCreate) return;
  sqlite3_pcache_methods2 wrapper{};
  wrapper.iVersion = 1;
  wrapper.pArg = builtin.pArg;
  wrapper.xInit = init;
  wrapper.xShutdown = shutdown;
  wrapper.xCreate = create;
  wrapper.xCachesize = cache_size;
  wrapper.xPagecount = page_count;
  wrapper.xFetch = fetch;
  wrapper.xUnpin = unpin;
  wrapper.xRekey = rekey;
  wrapper.xTruncate = truncate;
  wrapper.xDestroy = destroy;
  wrapper.xShrink = shrink;
  sqlite3_config(SQLITE_CONFIG_PCACHE2, &wrapper);
}

PageCacheCounts page_cache_counts() noexcept {
  return {truncations_passed.load(std::memory_order_relaxed),
          truncations_skipped.load(std::memory_order_relaxed),
          renumberings.load(std::memory_order_relaxed)};
}

}  // namespace herald::sqlite
