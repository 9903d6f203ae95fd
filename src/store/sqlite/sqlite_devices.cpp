// SqliteStore: push devices.
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/sqlite_user_rows.hpp"

namespace herald::sqlite {
namespace {

const Query kFindByAddress{"SELECT id, created_at FROM devices WHERE platform = ? AND address = ?"};
const Query kUpdateDevice{
    "UPDATE devices SET user_id = ?, name = ?, p256dh = ?, auth = ? WHERE id = ?"};
const Query kInsertDevice{
    "INSERT INTO devices (user_id, platform, name, address, p256dh, auth, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"};
const Query kListDevices{
    "SELECT id, user_id, platform, name, address, p256dh, auth, created_at FROM devices"
    " WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?"};
// LIKE ignores ASCII case; the prefix's own % and _ are escaped by the caller.
const Query kSearchDevices{
    "SELECT d.id, d.user_id, d.platform, d.name, d.address, d.p256dh, d.auth, d.created_at,"
    " u.username, u.display_name FROM devices d JOIN users u ON u.id = d.user_id"
    " WHERE d.id > ?1 AND u.deleted_at IS NULL AND (?2 = '' OR u.username LIKE ?2 || '%' ESCAPE "
    "'\\'"
    " OR d.name LIKE ?2 || '%' ESCAPE '\\') ORDER BY d.id LIMIT ?3"};
const Query kFindDevice{
    "SELECT id, user_id, platform, name, address, p256dh, auth, created_at FROM devices"
    " WHERE id = ?"};
const Query kDeleteDevice{"DELETE FROM devices WHERE id = ?"};

}  // namespace

Device read_device(const Statement& stmt, int first) {
  Device device;
  device.id = stmt.column_int(first);
  device.user_id = stmt.column_int(first + 1);
  device.platform = parse_platform(stmt.column_text(first + 2)).value_or(DevicePlatform::webpush);
  device.name = stmt.column_text(first + 3);
  device.address = stmt.column_text(first + 4);
  device.p256dh = stmt.column_text(first + 5);
  device.auth = stmt.column_text(first + 6);
  device.created_at = stmt.column_int(first + 7);
  return device;
}

Result<SavedDevice> SqliteStore::save_device(const NewDevice& device) {
  return write([&](Connection& c) -> Result<SavedDevice> {
    if (!user_exists(c, device.user_id)) return fail(errc::not_found, "no such user");
    SavedDevice saved{Device{device, 0, 0}, false};
    auto existing = c.prepare(kFindByAddress);
    existing->bind(1, platform_name(device.platform)).bind(2, device.address);
    if (existing->step()) {
      saved.device.id = existing->column_int(0);
      saved.device.created_at = existing->column_int(1);
      c.prepare(kUpdateDevice)
          ->bind(1, device.user_id)
          .bind(2, device.name)
          .bind(3, device.p256dh)
          .bind(4, device.auth)
          .bind(5, saved.device.id)
          .run();
      return saved;
    }
    saved.created = true;
    saved.device.created_at = system_now_ms();
    c.prepare(kInsertDevice)
        ->bind(1, device.user_id)
        .bind(2, platform_name(device.platform))
        .bind(3, device.name)
        .bind(4, device.address)
        .bind(5, device.p256dh)
        .bind(6, device.auth)
        .bind(7, saved.device.created_at)
        .run();
    saved.device.id = c.last_insert_rowid();
    return saved;
  });
}

Page<Device> SqliteStore::list_devices(Id user, const PageRequest& page_request) {
  return read([&](Connection& c) {
    auto stmt = c.prepare(kListDevices);
    stmt->bind(1, user).bind(2, page_request.after).bind(3, page_request.limit + 1);
    Page<Device> page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == page_request.limit) {
        page.next_after = page.items.back().id;
        break;
      }
      page.items.push_back(read_device(*stmt));
    }
    return page;
  });
}

Page<OwnedDevice> SqliteStore::search_devices(std::string_view prefix,
                                              const PageRequest& page_request) {
  std::string pattern;
  for (char ch : prefix) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  return read([&](Connection& c) {
    auto stmt = c.prepare(kSearchDevices);
    stmt->bind(1, page_request.after).bind(2, pattern).bind(3, page_request.limit + 1);
    Page<OwnedDevice> page;
    while (stmt->step()) {
      if (static_cast<int>(page.items.size()) == page_request.limit) {
        page.next_after = page.items.back().device.id;
        break;
      }
      page.items.push_back({read_device(*stmt), stmt->column_text(8), stmt->column_text(9)});
    }
    return page;
  });
}

std::optional<Device> SqliteStore::find_device(Id id) {
  return read([&](Connection& c) -> std::optional<Device> {
    auto stmt = c.prepare(kFindDevice);
    stmt->bind(1, id);
    if (!stmt->step()) return std::nullopt;
    return read_device(*stmt);
  });
}

Result<void> SqliteStore::delete_device(Id id) {
  return write([&](Connection& c) -> Result<void> {
    c.prepare(kDeleteDevice)->bind(1, id).run();
    if (c.changes() == 0) return fail(errc::not_found, "no such device");
    return {};
  });
}

}  // namespace herald::sqlite
