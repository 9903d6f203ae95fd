// A throwaway self-signed TLS certificate for 127.0.0.1, so that tests can run HTTPS (HTTP/2
// over ALPN) peers on loopback and trust exactly them.
#pragma once

#include <filesystem>

namespace herald::test {

struct TestCertificate {
  std::filesystem::path cert_file;  // PEM; also the CA file a client trusts
  std::filesystem::path key_file;   // PEM private key
};

// Writes cert.pem and key.pem into `dir`: P-256, valid for a day, for IP 127.0.0.1 and localhost.
TestCertificate make_test_certificate(const std::filesystem::path& dir);

}  // namespace herald::test
