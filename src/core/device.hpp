// Devices that receive push notifications: a browser's Web Push subscription, an Apple device
// token or a Firebase registration token, each registered by the user it belongs to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "core/model.hpp"

namespace herald {

enum class DevicePlatform { webpush, apns, fcm };

const char* platform_name(DevicePlatform platform) noexcept;
std::optional<DevicePlatform> parse_platform(std::string_view text) noexcept;

struct NewDevice {
  Id user_id = 0;
  DevicePlatform platform = DevicePlatform::webpush;
  std::string name;
  std::string address;  // webpush: the push service endpoint URL; apns, fcm: the token
  std::string p256dh;   // webpush: the subscription's public key (base64url)
  std::string auth;     // webpush: the subscription's authentication secret (base64url)
};

struct Device : NewDevice {
  Id id = 0;
  TimeMs created_at = 0;
};

// Checks a registration's fields; bad_request naming the first wrong one. Web Push needs an
// http(s) endpoint and keys of the sizes RFC 8291 fixes (a 65-byte P-256 point, a 16-byte
// secret); APNs a hexadecimal token; FCM a printable token.
Result<void> validate_device(const NewDevice& device);

}  // namespace herald
