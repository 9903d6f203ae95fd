#include "store/blob_files_disk.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace herald {
namespace {

// fsync a file or a folder, so that a rename is durable before the blob row commits.
void sync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

DiskBlobFiles::DiskBlobFiles(std::filesystem::path root) : root_(std::move(root)) {
  std::filesystem::create_directories(root_ / "incoming");
  for (const auto& entry : std::filesystem::directory_iterator(root_ / "incoming")) {
    std::error_code ignored;
    std::filesystem::remove(entry.path(), ignored);
  }
}

void DiskBlobFiles::adopt(const std::string& upload_path, const std::string& sha256) {
  std::filesystem::path target = path_of(sha256);
  std::filesystem::create_directories(target.parent_path());
  if (std::filesystem::exists(target)) {
    std::filesystem::remove(upload_path);
    return;
  }
  sync_path(upload_path, O_RDONLY);
  std::filesystem::rename(upload_path, target);
  sync_path(target.parent_path(), O_RDONLY | O_DIRECTORY);
}

std::string DiskBlobFiles::path_of(const std::string& sha256) const {
  return (root_ / sha256.substr(0, 2) / sha256).string();
}

void DiskBlobFiles::remove(const std::string& sha256) {
  std::error_code ignored;
  std::filesystem::remove(path_of(sha256), ignored);
}

}  // namespace herald
