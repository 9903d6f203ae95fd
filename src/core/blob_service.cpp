#include "core/blob_service.hpp"

#include <cstdio>
#include <fstream>

#include "common/crypto.hpp"
#include "common/utf8.hpp"
#include "core/content_type.hpp"

namespace herald {
namespace {

Result<std::string> clean_name(const std::string& name) {
  if (name.empty()) return std::string("attachment");
  if (name.size() > 255) return fail(errc::bad_request, "name is longer than 255 bytes");
  if (!is_valid_utf8(name)) return fail(errc::bad_request, "name is not UTF-8");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == '"') {
      return fail(errc::bad_request, "name holds a character a file name cannot have");
    }
  }
  return name;
}

}  // namespace

BlobService::BlobService(Store& store, BlobFiles& files, const Clock& clock)
    : store_(store), files_(files), clock_(clock) {}

Result<BlobRecord> BlobService::accept_upload(const Principal& caller,
                                              const std::string& upload_path, std::uint64_t size,
                                              const std::string& name) {
  auto discard = [&] { std::remove(upload_path.c_str()); };
  auto checked_name = clean_name(name);
  if (!checked_name) {
    discard();
    return checked_name.error();
  }
  std::string head;
  Sha256 digest{};
  {
    std::ifstream in(upload_path, std::ios::binary);
    if (!in) {
      discard();
      return fail(errc::internal, "the upload could not be read back");
    }
    Sha256Stream hasher;
    char buffer[64 * 1024];
    while (in) {
      in.read(buffer, sizeof buffer);
      auto got = static_cast<std::size_t>(in.gcount());
      if (got == 0) break;
      if (head.size() < 512) head.append(buffer, std::min<std::size_t>(got, 512 - head.size()));
      hasher.update(std::string_view(buffer, got));
    }
    digest = hasher.finish();
  }
  BlobRecord blob;
  blob.id = random_token(16);
  blob.sha256 = to_hex(digest);
  blob.size = static_cast<std::int64_t>(size);
  blob.name = *checked_name;
  blob.type = sniff_content_type(head, blob.name);
  blob.uploader_id = caller.user_id;
  blob.created_at = clock_.now_ms();
  try {
    files_.adopt(upload_path, blob.sha256);
  } catch (const std::exception& e) {
    discard();
    return fail(errc::internal, std::string("cannot store the upload: ") + e.what());
  }
  if (auto inserted = store_.insert_blob(blob); !inserted) {
    remove_files({blob.sha256});
    return inserted.error();
  }
  return blob;
}

Result<BlobDownload> BlobService::open(const Principal& caller, const std::string& id) {
  auto blob = store_.find_blob(id);
  if (!blob || !store_.blob_visible_to(caller.user_id, id)) {
    return fail(errc::not_found, "no such attachment");
  }
  return BlobDownload{*blob, files_.path_of(blob->sha256)};
}

void BlobService::remove_files(const std::vector<std::string>& sha256s) {
  for (const auto& sha : sha256s) {
    if (!store_.blob_file_referenced(sha)) files_.remove(sha);
  }
}

}  // namespace herald
