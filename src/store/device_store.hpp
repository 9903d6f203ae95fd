// DeviceStore: the part of the Store interface that keeps push devices. Same promises as Store:
// a write that returns ok is durable, and each method is one transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "core/device.hpp"
#include "core/model.hpp"

namespace herald {

struct SavedDevice {
  Device device;
  bool created = false;  // false: the same device was registered before, and is updated
};

struct OwnedDevice {
  Device device;
  std::string username;  // the owner's
  std::string display_name;
};

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;

  // One device per platform and address (endpoint or token): registering it again updates its
  // name and keys, and gives it to the registering user (a browser or phone that changed hands).
  virtual Result<SavedDevice> save_device(const NewDevice& device) = 0;
  // The user's devices, oldest first.
  virtual Page<Device> list_devices(Id user, const PageRequest& page) = 0;
  // Every user's devices, oldest first, for the admin console: all of them with an empty
  // prefix, else those whose name or owner's username starts with it (ASCII case ignored).
  virtual Page<OwnedDevice> search_devices(std::string_view prefix, const PageRequest& page) = 0;
  virtual std::optional<Device> find_device(Id id) = 0;
  virtual Result<void> delete_device(Id id) = 0;  // not_found when absent
};

}  // namespace herald
