// BlobFiles on the local disk: DIR/ab/abcdef... by SHA-256, uploads staged in DIR/incoming.
#pragma once

#include <filesystem>

#include "core/blob_service.hpp"

namespace herald {

class DiskBlobFiles final : public BlobFiles {
 public:
  // Creates the folders; removes uploads left half-written by a crash.
  explicit DiskBlobFiles(std::filesystem::path root);

  std::string incoming_dir() const { return (root_ / "incoming").string(); }
  void adopt(const std::string& upload_path, const std::string& sha256) override;
  std::string path_of(const std::string& sha256) const override;
  void remove(const std::string& sha256) override;

 private:
  std::filesystem::path root_;
};

}  // namespace herald
