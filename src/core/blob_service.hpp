// Attachments: uploads are stored once per content (by SHA-256) and served only to the uploader
// or to someone holding a copy of a message that carries them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/model.hpp"
#include "store/store.hpp"

namespace herald {

// The file system where blob contents live (the real one, or one a test fakes).
class BlobFiles {
 public:
  virtual ~BlobFiles() = default;
  // Moves a finished upload under its content's name; drops it if that content is there already.
  virtual void adopt(const std::string& upload_path, const std::string& sha256) = 0;
  virtual std::string path_of(const std::string& sha256) const = 0;
  virtual void remove(const std::string& sha256) = 0;
};

struct BlobDownload {
  BlobRecord blob;
  std::string path;
};

class BlobService {
 public:
  BlobService(Store& store, BlobFiles& files, const Clock& clock);

  // Takes over `upload_path` (a complete upload of `size` bytes); the file is gone afterwards
  // whatever the outcome.
  Result<BlobRecord> accept_upload(const Principal& caller, const std::string& upload_path,
                                   std::uint64_t size, const std::string& name);
  Result<BlobDownload> open(const Principal& caller, const std::string& id);
  // Deletes the files of these contents if no blob references them any more.
  void remove_files(const std::vector<std::string>& sha256s);

 private:
  Store& store_;
  BlobFiles& files_;
  const Clock& clock_;
};

}  // namespace herald
