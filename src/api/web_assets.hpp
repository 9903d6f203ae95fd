// The web UI's built files, embedded in the binary at build time (scripts/embed_web_assets.py).
#pragma once

#include <span>
#include <string_view>

namespace herald::api {

struct WebAsset {
  std::string_view path;  // "/index.html", "/assets/index-3f2a.js"
  std::string_view content_type;
  std::string_view body;
  std::string_view gzip_body;  // empty when gzip would not make it smaller
  bool immutable;              // content-hashed name: cacheable forever
};

std::span<const WebAsset> web_assets();

}  // namespace herald::api
