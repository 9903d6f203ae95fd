#include "delivery/push/vapid.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/crypto.hpp"

namespace herald::delivery {

SigningKey load_or_create_vapid_key(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    save_private_key(SigningKey::generate_p256(), file);
  }
  SigningKey key = SigningKey::from_pem_file(file);
  if (key.algorithm() != JwtAlgorithm::es256) {
    throw std::runtime_error("VAPID key " + file.string() + " is not a P-256 key");
  }
  return key;
}

void save_private_key(const SigningKey& key, const std::filesystem::path& file) {
  std::string pem = key.private_key_pem();
  // Created with owner-only permissions from the start, never widened: no window in which
  // another user could read the key.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "cannot create " + file.string());
  }
  std::size_t done = 0;
  while (done < pem.size()) {
    ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      throw std::system_error(error, std::generic_category(), "cannot write " + file.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot write " + file.string());
  }
}

std::string endpoint_origin(std::string_view endpoint) {
  auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string scheme(endpoint.substr(0, scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "https" && scheme != "http") return {};
  std::string_view authority = endpoint.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string host(authority);
  std::string port;
  // The port follows the last colon, unless that colon is inside an IPv6 literal.
  if (auto colon = host.rfind(':');
      colon != std::string::npos && host.find(']', colon) == std::string::npos) {
    port = host.substr(colon + 1);
    host.resize(colon);
  }
  if (host.empty()) return {};
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool default_port =
      port.empty() || (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  return scheme + "://" + host + (default_port ? "" : ":" + port);
}

VapidSigner::VapidSigner(SigningKey key, VapidOptions options, const Clock& clock)
    : key_(std::move(key)),
      options_(std::move(options)),
      clock_(clock),
      public_key_(base64url_encode(key_.public_key_point())) {
  if (key_.algorithm() != JwtAlgorithm::es256) {
    throw std::invalid_argument("a VAPID key is a P-256 key");
  }
}

const std::string& VapidSigner::authorization(std::string_view endpoint) {
  std::string origin = endpoint_origin(endpoint);
  if (origin.empty()) return none_;
  TimeMs now = clock_.now_ms();
  Signed& entry = by_origin_[origin];
  auto refresh_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.refresh_before).count();
  if (!entry.header.empty() && entry.expires_at_ms - now > refresh_ms) return entry.header;

  auto lifetime_s = options_.lifetime.count();
  std::int64_t exp = now / 1000 + lifetime_s;
  boost::json::object claims{{"aud", origin}, {"exp", exp}, {"sub", options_.subject}};
  std::string jwt =
      sign_jwt(key_, R"({"typ":"JWT","alg":"ES256"})", boost::json::serialize(claims));
  entry.header = "vapid t=" + jwt + ", k=" + public_key_;
  entry.expires_at_ms = exp * 1000;
  return entry.header;
}

}  // namespace herald::delivery
