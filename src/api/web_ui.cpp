#include "api/web_ui.hpp"

#include <algorithm>
#include <cctype>

#include "api/web_assets.hpp"

namespace herald::api {
namespace {

// The UI runs only its own files: no inline script or style, no other origin, no framing.
// Images and media come from the server (attachments) or from blob: URLs the UI makes.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const WebAsset* find_asset(std::string_view path) {
  for (const WebAsset& asset : web_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Whether an Accept-Encoding header takes gzip: listed (or "*") without a q of zero.
bool accepts_gzip(std::string_view header) {
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semicolon = item.find(';');
    std::string_view coding = trim(item.substr(0, semicolon));
    if (!iequals(coding, "gzip") && coding != "*") continue;
    if (semicolon == std::string_view::npos) return true;
    std::string_view q = trim(item.substr(semicolon + 1));
    if (!q.starts_with("q=")) return true;
    q.remove_prefix(2);
    return q.find_first_not_of("0.") != std::string_view::npos;  // q=0, q=0.000: refused
  }
  return false;
}

ApiResponse asset_response(const WebAsset& asset, const ApiRequest& request) {
  ApiResponse response;
  response.status = 200;
  response.content_type = std::string(asset.content_type);
  bool gzip = !asset.gzip_body.empty() && accepts_gzip(request.accept_encoding);
  response.body = std::string(gzip ? asset.gzip_body : asset.body);
  if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  if (!asset.gzip_body.empty()) response.headers.emplace_back("Vary", "Accept-Encoding");
  // Hashed files never change; the page and the service worker must be checked every time.
  response.headers.emplace_back(
      "Cache-Control", asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  return response;
}

}  // namespace

std::optional<ApiResponse> serve_web_ui(const ApiRequest& request) {
  if (request.method != Method::get && request.method != Method::head) return std::nullopt;
  std::string_view path = request.path;
  if (path.empty() || path.front() != '/' || path.starts_with("/api/") || path == "/api") {
    return std::nullopt;
  }
  if (path != "/index.html") {
    if (const WebAsset* asset = find_asset(path)) return asset_response(*asset, request);
  }
  // A missing file is a 404; any other path is a page of the UI.
  if (path.starts_with("/assets/") || path.find('.') != std::string_view::npos) {
    return std::nullopt;
  }
  if (const WebAsset* index = find_asset("/index.html")) return asset_response(*index, request);
  return std::nullopt;
}

}  // namespace herald::api
