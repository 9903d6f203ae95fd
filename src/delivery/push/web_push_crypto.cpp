#include "delivery/push/web_push_crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <initializer_list>
#include <stdexcept>

namespace herald::delivery {
namespace {

constexpr std::size_t kSaltSize = 16;
constexpr std::size_t kPointSize = 65;
constexpr std::size_t kAuthSize = 16;
constexpr std::size_t kTagSize = 16;
constexpr std::uint32_t kRecordSize = 4096;
constexpr std::size_t kHeaderSize = kSaltSize + 4 + 1 + kPointSize;

using Hash = std::array<unsigned char, 32>;

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

struct WebPushEncryptor::State {
  Pkey p256;  // parameters only: the template of every ephemeral and subscription key
  PkeyCtx keygen;
  EVP_MAC* hmac = nullptr;
  EVP_MAC_CTX* mac = nullptr;
  EVP_CIPHER* aes_gcm = nullptr;
  EVP_CIPHER_CTX* cipher = nullptr;

  ~State() {
    EVP_CIPHER_CTX_free(cipher);
    EVP_CIPHER_free(aes_gcm);
    EVP_MAC_CTX_free(mac);
    EVP_MAC_free(hmac);
  }

  // HMAC-SHA-256(key, the pieces one after the other): each HKDF step of RFC 8291 is one of
  // these, since every output needed is at most one hash long (HKDF-Expand's T(1)).
  bool hmac_sha256(const unsigned char* key, std::size_t key_size,
                   std::initializer_list<std::string_view> pieces, Hash& out) {
    if (EVP_MAC_init(mac, key, key_size, nullptr) != 1) return false;
    for (std::string_view piece : pieces) {
      if (EVP_MAC_update(mac, bytes(piece), piece.size()) != 1) return false;
    }
    std::size_t size = 0;
    return EVP_MAC_final(mac, out.data(), &size, out.size()) == 1 && size == out.size();
  }
};

WebPushEncryptor::WebPushEncryptor() : state_(std::make_unique<State>()) {
  State& s = *state_;
  PkeyCtx param_ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* params = nullptr;
  char group[] = "prime256v1";
  OSSL_PARAM group_params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0), OSSL_PARAM_END};
  if (!param_ctx || EVP_PKEY_fromdata_init(param_ctx.get()) != 1 ||
      EVP_PKEY_fromdata(param_ctx.get(), &params, EVP_PKEY_KEY_PARAMETERS, group_params) != 1) {
    throw std::runtime_error("web push: cannot set up P-256");
  }
  s.p256.reset(params);
  s.keygen.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, s.p256.get(), nullptr));
  if (!s.keygen || EVP_PKEY_keygen_init(s.keygen.get()) != 1) {
    throw std::runtime_error("web push: cannot set up key generation");
  }
  s.hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  s.mac = s.hmac ? EVP_MAC_CTX_new(s.hmac) : nullptr;
  char digest[] = "SHA256";
  OSSL_PARAM mac_params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                             OSSL_PARAM_END};
  if (!s.mac || EVP_MAC_CTX_set_params(s.mac, mac_params) != 1) {
    throw std::runtime_error("web push: cannot set up HMAC-SHA-256");
  }
  s.aes_gcm = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  s.cipher = EVP_CIPHER_CTX_new();
  if (!s.aes_gcm || !s.cipher) throw std::runtime_error("web push: cannot set up AES-128-GCM");
}

WebPushEncryptor::~WebPushEncryptor() = default;

Result<std::string> WebPushEncryptor::encrypt(std::string_view plaintext,
                                              std::string_view ua_public,
                                              std::string_view auth_secret) {
  EVP_PKEY* generated = nullptr;
  if (EVP_PKEY_generate(state_->keygen.get(), &generated) != 1) {
    return Error(errc::internal, "cannot generate an ephemeral P-256 key");
  }
  Pkey ephemeral(generated);
  std::array<unsigned char, kSaltSize> salt;
  if (RAND_bytes(salt.data(), salt.size()) != 1) {
    return Error(errc::internal, "no random bytes for the salt");
  }
  return seal(plaintext, ua_public, auth_secret, ephemeral.get(),
              std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()));
}

Result<std::string> WebPushEncryptor::encrypt_with(std::string_view plaintext,
                                                   std::string_view ua_public,
                                                   std::string_view auth_secret,
                                                   const SigningKey& ephemeral,
                                                   std::string_view salt) {
  if (ephemeral.algorithm() != JwtAlgorithm::es256 || salt.size() != kSaltSize) {
    return Error(errc::bad_request, "the ephemeral key must be P-256 and the salt 16 bytes");
  }
  return seal(plaintext, ua_public, auth_secret, ephemeral.get(), salt);
}

Result<std::string> WebPushEncryptor::seal(std::string_view plaintext, std::string_view ua_public,
                                           std::string_view auth_secret, EVP_PKEY* ephemeral,
                                           std::string_view salt) {
  State& s = *state_;
  if (plaintext.size() > kWebPushMaxPlaintext) {
    return Error(errc::too_large,
                 "push payload over " + std::to_string(kWebPushMaxPlaintext) + " bytes");
  }
  if (ua_public.size() != kPointSize || ua_public[0] != 0x04) {
    return Error(errc::bad_request, "p256dh is not an uncompressed P-256 point");
  }
  if (auth_secret.size() != kAuthSize) {
    return Error(errc::bad_request, "the auth secret is not 16 bytes");
  }

  // The subscription's key; decoding the point checks that it lies on the curve, and P-256 has
  // no small subgroup, so the costly full validation at derive time is left out.
  Pkey peer(EVP_PKEY_new());
  if (!peer || EVP_PKEY_copy_parameters(peer.get(), s.p256.get()) != 1 ||
      EVP_PKEY_set1_encoded_public_key(peer.get(), bytes(ua_public), ua_public.size()) != 1) {
    return Error(errc::bad_request, "p256dh is not a point on P-256");
  }

  std::string body(kHeaderSize + plaintext.size() + 1 + kTagSize, '\0');
  auto* out = reinterpret_cast<unsigned char*>(body.data());
  std::memcpy(out, salt.data(), kSaltSize);
  out[16] = static_cast<unsigned char>(kRecordSize >> 24);
  out[17] = static_cast<unsigned char>(kRecordSize >> 16);
  out[18] = static_cast<unsigned char>(kRecordSize >> 8);
  out[19] = static_cast<unsigned char>(kRecordSize);
  out[20] = static_cast<unsigned char>(kPointSize);
  unsigned char* as_public = out + 21;
  std::size_t point_size = 0;
  if (EVP_PKEY_get_octet_string_param(ephemeral, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, as_public,
                                      kPointSize, &point_size) != 1 ||
      point_size != kPointSize) {
    return Error(errc::internal, "cannot encode the ephemeral public key");
  }

  Hash ecdh_secret{};
  std::size_t secret_size = ecdh_secret.size();
  PkeyCtx derive(EVP_PKEY_CTX_new_from_pkey(nullptr, ephemeral, nullptr));
  if (!derive || EVP_PKEY_derive_init(derive.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(derive.get(), peer.get(), 0) != 1 ||
      EVP_PKEY_derive(derive.get(), ecdh_secret.data(), &secret_size) != 1 ||
      secret_size != ecdh_secret.size()) {
    return Error(errc::bad_request, "ECDH with the subscription's key failed");
  }

  // RFC 8291 §3.3: IKM from the ECDH secret and the auth secret, bound to both public keys.
  std::string_view as_public_text(reinterpret_cast<const char*>(as_public), kPointSize);
  std::string_view ecdh_text(reinterpret_cast<const char*>(ecdh_secret.data()), 32);
  static constexpr std::string_view kKeyInfo{"WebPush: info\0", 14};
  static constexpr std::string_view kFirstBlock{"\1", 1};
  static constexpr std::string_view kCekInfo{"Content-Encoding: aes128gcm\0\1", 29};
  static constexpr std::string_view kNonceInfo{"Content-Encoding: nonce\0\1", 25};
  Hash prk_key, ikm, prk, cek, nonce;
  bool derived = s.hmac_sha256(bytes(auth_secret), auth_secret.size(), {ecdh_text}, prk_key) &&
                 s.hmac_sha256(prk_key.data(), prk_key.size(),
                               {kKeyInfo, ua_public, as_public_text, kFirstBlock}, ikm);
  // RFC 8188 §2.2-2.3: the content key and nonce from the salt (the extract's key) and IKM.
  std::string_view ikm_text(reinterpret_cast<const char*>(ikm.data()), ikm.size());
  derived = derived && s.hmac_sha256(bytes(salt), salt.size(), {ikm_text}, prk) &&
            s.hmac_sha256(prk.data(), prk.size(), {kCekInfo}, cek) &&
            s.hmac_sha256(prk.data(), prk.size(), {kNonceInfo}, nonce);
  if (!derived) return Error(errc::internal, "HKDF failed");

  // One record: the plaintext, then the last-record delimiter 0x02 and no padding.
  unsigned char* sealed = out + kHeaderSize;
  static constexpr unsigned char kDelimiter = 0x02;
  int written = 0;
  int tail = 0;
  if (EVP_EncryptInit_ex2(s.cipher, s.aes_gcm, cek.data(), nonce.data(), nullptr) != 1 ||
      EVP_EncryptUpdate(s.cipher, sealed, &written, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptUpdate(s.cipher, sealed + written, &tail, &kDelimiter, 1) != 1) {
    return Error(errc::internal, "AES-GCM failed");
  }
  written += tail;
  if (EVP_EncryptFinal_ex(s.cipher, sealed + written, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(s.cipher, EVP_CTRL_GCM_GET_TAG, kTagSize, sealed + written + tail) != 1) {
    return Error(errc::internal, "AES-GCM failed");
  }
  OPENSSL_cleanse(cek.data(), cek.size());
  OPENSSL_cleanse(ecdh_secret.data(), ecdh_secret.size());
  return body;
}

}  // namespace herald::delivery
