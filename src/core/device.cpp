#include "core/device.hpp"

#include "common/crypto.hpp"
#include "common/utf8.hpp"

namespace herald {
namespace {

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxEndpoint = 2048;
constexpr std::size_t kMaxToken = 4096;

Error bad(const std::string& message) {
  return fail(errc::bad_request, message);
}

bool decodes_to(std::string_view base64url, std::size_t bytes) {
  std::string raw;
  return base64url_decode(base64url, raw) && raw.size() == bytes;
}

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

bool is_hex(std::string_view text) {
  for (char c : text) {
    bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit) return false;
  }
  return true;
}

}  // namespace

const char* platform_name(DevicePlatform platform) noexcept {
  switch (platform) {
    case DevicePlatform::webpush:
      return "webpush";
    case DevicePlatform::apns:
      return "apns";
    case DevicePlatform::fcm:
      return "fcm";
  }
  return "webpush";
}

std::optional<DevicePlatform> parse_platform(std::string_view text) noexcept {
  if (text == "webpush") return DevicePlatform::webpush;
  if (text == "apns") return DevicePlatform::apns;
  if (text == "fcm") return DevicePlatform::fcm;
  return std::nullopt;
}

Result<void> validate_device(const NewDevice& device) {
  if (device.name.size() > kMaxName || !is_valid_utf8(device.name)) {
    return bad("name is at most 100 bytes of UTF-8");
  }
  switch (device.platform) {
    case DevicePlatform::webpush: {
      const std::string& url = device.address;
      bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
      if (!scheme || url.size() > kMaxEndpoint || !printable_ascii(url) ||
          url.find('/', url.find("//") + 2) == std::string::npos) {
        return bad("endpoint must be an http(s) URL of at most 2048 bytes");
      }
      // An uncompressed P-256 point, as RFC 8291 requires.
      std::string key;
      if (!base64url_decode(device.p256dh, key) || key.size() != 65 || key[0] != 0x04) {
        return bad("keys.p256dh must be a base64url P-256 public key (65 bytes)");
      }
      if (!decodes_to(device.auth, 16)) return bad("keys.auth must be 16 bytes in base64url");
      return {};
    }
    case DevicePlatform::apns:
      if (device.address.size() < 64 || device.address.size() > 200 || !is_hex(device.address)) {
        return bad("token must be an APNs device token in hexadecimal");
      }
      return {};
    case DevicePlatform::fcm:
      if (device.address.empty() || device.address.size() > kMaxToken ||
          !printable_ascii(device.address)) {
        return bad("token must be an FCM registration token");
      }
      return {};
  }
  return bad("unknown platform");
}

}  // namespace herald
