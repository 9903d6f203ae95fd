#include "store/sqlite/sqlite_vfs.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace herald::sqlite {
namespace {

constexpr int kFrameHeaderBytes = 24;
// A large transaction's frames are written in pieces of this size before its commit frame.
constexpr std::size_t kMaxGathered = 4 << 20;
// The unix VFS writes at most 128 KiB per call (it masks the length to 17 bits).
constexpr std::size_t kMaxWrite = 120 * 1024;

sqlite3_vfs* base = nullptr;  // the VFS wrapped, the platform's default
sqlite3_vfs herald_vfs{};
std::atomic<std::uint64_t> writes_seen{0};
std::atomic<std::uint64_t> flushes_made{0};
std::atomic<std::uint64_t> yields_made{0};

struct Gathered {
  std::string bytes;  // to be written at `offset`, in one call
  sqlite3_int64 offset = 0;
  bool commit_page_next = false;  // the last frame header had a database size: a commit
};

// Our part of each file opened through this VFS; the base VFS's file follows it in memory.
struct File {
  sqlite3_file header;  // its methods are ours
  sqlite3_file* inner;
  Gathered* gathered;  // a WAL file's pending writes; null for any other file
  File* wal;           // a database file: the WAL its connection opened, while open
  File* database;      // a WAL file: its database file, while open
  int yield_every;     // a database file: pages between yields (kYieldEvery), or 0
  int written_since_yield;
};

File* as_file(sqlite3_file* file) {
  return reinterpret_cast<File*>(file);
}

const sqlite3_io_methods& inner_methods(File* f) {
  return *f->inner->pMethods;
}

int flush(File* f) {
  Gathered* g = f->gathered;
  if (!g || g->bytes.empty()) return SQLITE_OK;
  int rc = SQLITE_OK;
  for (std::size_t at = 0; at < g->bytes.size() && rc == SQLITE_OK; at += kMaxWrite) {
    std::size_t piece = std::min(kMaxWrite, g->bytes.size() - at);
    rc = inner_methods(f).xWrite(f->inner, g->bytes.data() + at, static_cast<int>(piece),
                                 g->offset + static_cast<sqlite3_int64>(at));
    flushes_made.fetch_add(1, std::memory_order_relaxed);
  }
  g->bytes.clear();
  return rc;
}

// Where no error can be returned: the barrier before SQLite publishes a commit. Anything still
// gathered there was written after the commit frame (SQLite rewriting frame headers) or in a way
// `gather` does not recognise; it must reach the file before readers see those frames, or the
// store would be corrupt, so a failure stops the process.
void flush_or_stop(File* f) {
  if (flush(f) == SQLITE_OK) return;
  spdlog::critical("cannot write the WAL before a commit is published; stopping");
  std::abort();
}

std::uint32_t big_endian_u32(const void* data) {
  const auto* b = static_cast<const unsigned char*>(data);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

int gather(File* f, const void* data, int amount, sqlite3_int64 offset) {
  Gathered& g = *f->gathered;
  writes_seen.fetch_add(1, std::memory_order_relaxed);
  if (!g.bytes.empty() && offset != g.offset + static_cast<sqlite3_int64>(g.bytes.size())) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (g.bytes.empty()) g.offset = offset;
  try {
    g.bytes.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
  } catch (const std::bad_alloc&) {
    g.bytes.clear();
    return SQLITE_IOERR_NOMEM;
  }
  // A frame is its header, then its page. Bytes 4-7 of the header hold the database's size
  // after the commit for a commit frame, and zero for any other.
  bool ends_commit = false;
  if (amount == kFrameHeaderBytes) {
    g.commit_page_next = big_endian_u32(static_cast<const char*>(data) + 4) != 0;
  } else {
    ends_commit = g.commit_page_next;
    g.commit_page_next = false;
  }
  if (ends_commit || g.bytes.size() >= kMaxGathered) return flush(f);
  return SQLITE_OK;
}

// The methods: each passes the call on; a WAL's first writes what it gathered, and a database's
// shared-memory calls first write what its WAL gathered.

int close_file(sqlite3_file* file) {
  File* f = as_file(file);
  int flushed = flush(f);
  if (f->wal) f->wal->database = nullptr;
  if (f->database) f->database->wal = nullptr;
  delete f->gathered;
  f->gathered = nullptr;
  int rc = inner_methods(f).xClose(f->inner);
  return flushed != SQLITE_OK ? flushed : rc;
}

int read_file(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  File* f = as_file(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return inner_methods(f).xRead(f->inner, data, amount, offset);
}

int write_file(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File* f = as_file(file);
  if (f->gathered) return gather(f, data, amount, offset);
  if (f->yield_every > 0 && ++f->written_since_yield >= f->yield_every) {
    // Lets any thread waiting for this core run first; returns at once when none is.
    f->written_since_yield = 0;
    sched_yield();
    yields_made.fetch_add(1, std::memory_order_relaxed);
  }
  return inner_methods(f).xWrite(f->inner, data, amount, offset);
}

int truncate_file(sqlite3_file* file, sqlite3_int64 size) {
  File* f = as_file(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return inner_methods(f).xTruncate(f->inner, size);
}

int sync_file(sqlite3_file* file, int flags) {
  File* f = as_file(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return inner_methods(f).xSync(f->inner, flags);
}

int file_size(sqlite3_file* file, sqlite3_int64* size) {
  File* f = as_file(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return inner_methods(f).xFileSize(f->inner, size);
}

int lock_file(sqlite3_file* file, int level) {
  File* f = as_file(file);
  return inner_methods(f).xLock(f->inner, level);
}

int unlock_file(sqlite3_file* file, int level) {
  File* f = as_file(file);
  return inner_methods(f).xUnlock(f->inner, level);
}

int check_reserved_lock(sqlite3_file* file, int* reserved) {
  File* f = as_file(file);
  return inner_methods(f).xCheckReservedLock(f->inner, reserved);
}

int file_control(sqlite3_file* file, int op, void* arg) {
  File* f = as_file(file);
  if (op == kYieldEvery) {
    f->yield_every = *static_cast<int*>(arg);
    f->written_since_yield = 0;
    return SQLITE_OK;
  }
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return inner_methods(f).xFileControl(f->inner, op, arg);
}

int sector_size(sqlite3_file* file) {
  File* f = as_file(file);
  return inner_methods(f).xSectorSize(f->inner);
}

int device_characteristics(sqlite3_file* file) {
  File* f = as_file(file);
  return inner_methods(f).xDeviceCharacteristics(f->inner);
}

int shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** memory) {
  File* f = as_file(file);
  return inner_methods(f).xShmMap(f->inner, region, size, extend, memory);
}

int shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = as_file(file);
  if (f->wal) {
    if (int rc = flush(f->wal); rc != SQLITE_OK) return rc;
  }
  return inner_methods(f).xShmLock(f->inner, offset, n, flags);
}

void shm_barrier(sqlite3_file* file) {
  File* f = as_file(file);
  if (f->wal) flush_or_stop(f->wal);
  inner_methods(f).xShmBarrier(f->inner);
}

int shm_unmap(sqlite3_file* file, int delete_flag) {
  File* f = as_file(file);
  return inner_methods(f).xShmUnmap(f->inner, delete_flag);
}

int fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** page) {
  File* f = as_file(file);
  return inner_methods(f).xFetch(f->inner, offset, amount, page);
}

int unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  File* f = as_file(file);
  return inner_methods(f).xUnfetch(f->inner, offset, page);
}

// One table per version of the methods, to claim no more than the base VFS's file offers.
sqlite3_io_methods methods[3];

void init_methods() {
  for (int version = 1; version <= 3; ++version) {
    sqlite3_io_methods& m = methods[version - 1];
    m.iVersion = version;
    m.xClose = close_file;
    m.xRead = read_file;
    m.xWrite = write_file;
    m.xTruncate = truncate_file;
    m.xSync = sync_file;
    m.xFileSize = file_size;
    m.xLock = lock_file;
    m.xUnlock = unlock_file;
    m.xCheckReservedLock = check_reserved_lock;
    m.xFileControl = file_control;
    m.xSectorSize = sector_size;
    m.xDeviceCharacteristics = device_characteristics;
    if (version >= 2) {
      m.xShmMap = shm_map;
      m.xShmLock = shm_lock;
      m.xShmBarrier = shm_barrier;
      m.xShmUnmap = shm_unmap;
    }
    if (version >= 3) {
      m.xFetch = fetch;
      m.xUnfetch = unfetch;
    }
  }
}

bool is_ours(const sqlite3_file* file) {
  if (!file) return false;
  const sqlite3_io_methods* m = file->pMethods;
  return m == &methods[0] || m == &methods[1] || m == &methods[2];
}

int open_file(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = as_file(file);
  f->header.pMethods = nullptr;  // SQLite closes only a file whose open succeeded
  f->inner = reinterpret_cast<sqlite3_file*>(f + 1);
  f->inner->pMethods = nullptr;
  f->gathered = nullptr;
  f->wal = nullptr;
  f->database = nullptr;
  f->yield_every = 0;
  f->written_since_yield = 0;
  int rc = base->xOpen(base, name, f->inner, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->inner->pMethods) f->inner->pMethods->xClose(f->inner);
    return rc;
  }
  if (flags & SQLITE_OPEN_WAL) {
    f->gathered = new (std::nothrow) Gathered;
    if (!f->gathered) {
      f->inner->pMethods->xClose(f->inner);
      return SQLITE_NOMEM;
    }
    // The database file of the connection opening this WAL, whose index calls must write the
    // gathered frames first.
    sqlite3_file* database = sqlite3_database_file_object(name);
    if (is_ours(database)) {
      f->database = as_file(database);
      f->database->wal = f;
    }
  }
  int version = f->inner->pMethods->iVersion;
  f->header.pMethods = &methods[version < 1 ? 0 : version > 3 ? 2 : version - 1];
  return SQLITE_OK;
}

// The rest of the VFS is the base's.

int delete_file(sqlite3_vfs*, const char* name, int sync_dir) {
  return base->xDelete(base, name, sync_dir);
}
int access_file(sqlite3_vfs*, const char* name, int flags, int* result) {
  return base->xAccess(base, name, flags, result);
}
int full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return base->xFullPathname(base, name, size, out);
}
void* dl_open(sqlite3_vfs*, const char* name) {
  return base->xDlOpen(base, name);
}
void dl_error(sqlite3_vfs*, int size, char* message) {
  base->xDlError(base, size, message);
}
void (*dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return base->xDlSym(base, handle, symbol);
}
void dl_close(sqlite3_vfs*, void* handle) {
  base->xDlClose(base, handle);
}
int randomness(sqlite3_vfs*, int size, char* out) {
  return base->xRandomness(base, size, out);
}
int sleep_for(sqlite3_vfs*, int microseconds) {
  return base->xSleep(base, microseconds);
}
int current_time(sqlite3_vfs*, double* now) {
  return base->xCurrentTime(base, now);
}
int last_error(sqlite3_vfs*, int size, char* message) {
  return base->xGetLastError(base, size, message);
}
int current_time_int64(sqlite3_vfs*, sqlite3_int64* now) {
  return base->xCurrentTimeInt64(base, now);
}

}  // namespace

void install_vfs() {
  if (base) return;
  base = sqlite3_vfs_find(nullptr);
  if (!base) return;
  init_methods();
  // Version 2 at most: the system-call overrides of version 3 are for SQLite's own tests.
  herald_vfs.iVersion = base->iVersion < 2 ? base->iVersion : 2;
  herald_vfs.szOsFile = static_cast<int>(sizeof(File)) + base->szOsFile;
  herald_vfs.mxPathname = base->mxPathname;
  herald_vfs.zName = "herald";
  herald_vfs.xOpen = open_file;
  herald_vfs.xDelete = delete_file;
  herald_vfs.xAccess = access_file;
  herald_vfs.xFullPathname = full_pathname;
  herald_vfs.xDlOpen = dl_open;
  herald_vfs.xDlError = dl_error;
  herald_vfs.xDlSym = dl_sym;
  herald_vfs.xDlClose = dl_close;
  herald_vfs.xRandomness = randomness;
  herald_vfs.xSleep = sleep_for;
  herald_vfs.xCurrentTime = current_time;
  herald_vfs.xGetLastError = last_error;
  if (herald_vfs.iVersion >= 2) herald_vfs.xCurrentTimeInt64 = current_time_int64;
  sqlite3_vfs_register(&herald_vfs, 1);
}

VfsCounts vfs_counts() noexcept {
  return {writes_seen.load(std::memory_order_relaxed), flushes_made.load(std::memory_order_relaxed),
          yields_made.load(std::memory_order_relaxed)};
}

}  // namespace herald::sqlite
