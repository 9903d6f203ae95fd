#include "core/content_type.hpp"

#include "common/utf8.hpp"

namespace herald {
namespace {

bool starts_with(std::string_view data, std::string_view magic, std::size_t at = 0) {
  return data.size() >= at + magic.size() && data.substr(at, magic.size()) == magic;
}

bool ends_with(std::string_view name, std::string_view suffix) {
  if (name.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    char c = name[name.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

}  // namespace

std::string sniff_content_type(std::string_view head, std::string_view name) {
  using namespace std::string_view_literals;
  if (starts_with(head, "\x89PNG\r\n\x1a\n"sv)) return "image/png";
  if (starts_with(head, "\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (starts_with(head, "GIF87a") || starts_with(head, "GIF89a")) return "image/gif";
  if (starts_with(head, "RIFF") && starts_with(head, "WEBP", 8)) return "image/webp";
  if (starts_with(head, "RIFF") && starts_with(head, "WAVE", 8)) return "audio/wav";
  if (starts_with(head, "%PDF-")) return "application/pdf";
  if (starts_with(head, "ID3") || starts_with(head, "\xFF\xFB"sv)) return "audio/mpeg";
  if (starts_with(head, "OggS")) return "audio/ogg";
  if (starts_with(head, "fLaC")) return "audio/flac";
  if (starts_with(head, "\x1A\x45\xDF\xA3"sv)) return "video/webm";
  if (starts_with(head, "ftyp", 4)) return "video/mp4";
  if (starts_with(head, "PK\x03\x04"sv)) {
    if (ends_with(name, ".docx")) {
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    if (ends_with(name, ".xlsx")) {
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    if (ends_with(name, ".odt")) return "application/vnd.oasis.opendocument.text";
    return "application/zip";
  }
  if (starts_with(head, "\x1F\x8B"sv)) return "application/gzip";
  // Text never claims to be HTML or SVG here: served as attachments with nosniff, it stays text.
  bool binary = head.find('\0') != std::string_view::npos;
  if (!binary && is_valid_utf8(head.substr(0, head.size() > 4 ? head.size() - 4 : head.size()))) {
    if (ends_with(name, ".csv")) return "text/csv; charset=utf-8";
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

}  // namespace herald
