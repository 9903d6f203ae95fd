// The embedded web UI as the API serves it: which paths are its files, which are its pages,
// gzip negotiation, caching and the security headers. (Chromium journeys: web/tests.)
#include <gtest/gtest.h>

#include <algorithm>

#include "api/web_assets.hpp"
#include "api/web_ui.hpp"

namespace herald::api {
namespace {

ApiRequest get(std::string path, std::string accept_encoding = "") {
  ApiRequest request;
  request.method = Method::get;
  request.path = std::move(path);
  request.accept_encoding = std::move(accept_encoding);
  return request;
}

std::string header(const ApiResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

const WebAsset& script() {
  auto assets = web_assets();
  auto found = std::find_if(assets.begin(), assets.end(), [](const WebAsset& asset) {
    return asset.path.starts_with("/assets/") && asset.path.ends_with(".js");
  });
  EXPECT_NE(found, assets.end());
  return *found;
}

TEST(WebUi, PagePathsAnswerIndexHtmlWithTheSecurityHeaders) {
  for (std::string path : {"/", "/mail/inbox", "/messages/42", "/admin/users"}) {
    auto page = serve_web_ui(get(path));
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 200);
    EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
    EXPECT_NE(page->body.find("<div id=\"app\">"), std::string::npos);
    EXPECT_NE(header(*page, "Content-Security-Policy").find("script-src 'self';"),
              std::string::npos);
    EXPECT_EQ(header(*page, "Content-Security-Policy").find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(header(*page, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(*page, "X-Frame-Options"), "DENY");
  }
}

TEST(WebUi, BuiltFilesAreServedAndHashedOnesCachedForever) {
  const WebAsset& js = script();
  auto file = serve_web_ui(get(std::string(js.path)));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(file->body, js.body);
  EXPECT_EQ(header(*file, "Cache-Control"), "public, max-age=31536000, immutable");
  auto worker = serve_web_ui(get("/sw.js"));
  ASSERT_TRUE(worker);
  EXPECT_EQ(header(*worker, "Cache-Control"), "no-cache");
}

TEST(WebUi, GzipIsSentOnlyToClientsThatTakeIt) {
  const WebAsset& js = script();
  ASSERT_FALSE(js.gzip_body.empty());
  EXPECT_LT(js.gzip_body.size(), js.body.size());
  for (std::string accepted : {"gzip", "br, gzip, deflate", "GZIP;q=0.5", "*"}) {
    auto file = serve_web_ui(get(std::string(js.path), accepted));
    EXPECT_EQ(header(*file, "Content-Encoding"), "gzip") << accepted;
    EXPECT_EQ(file->body, js.gzip_body) << accepted;
    EXPECT_EQ(header(*file, "Vary"), "Accept-Encoding");
  }
  for (std::string refused : {"", "identity", "br", "gzip;q=0", "gzip; q=0.000"}) {
    auto file = serve_web_ui(get(std::string(js.path), refused));
    EXPECT_EQ(header(*file, "Content-Encoding"), "") << refused;
    EXPECT_EQ(file->body, js.body) << refused;
  }
}

TEST(WebUi, LeavesTheApiMissingFilesAndOtherMethodsAlone) {
  EXPECT_FALSE(serve_web_ui(get("/api/v1/nothing")));
  EXPECT_FALSE(serve_web_ui(get("/api")));
  EXPECT_FALSE(serve_web_ui(get("/assets/missing.js")));
  EXPECT_FALSE(serve_web_ui(get("/robots.txt")));
  ApiRequest post = get("/");
  post.method = Method::post;
  EXPECT_FALSE(serve_web_ui(post));
  ApiRequest head = get("/mail/inbox");
  head.method = Method::head;
  EXPECT_TRUE(serve_web_ui(head));
}

}  // namespace
}  // namespace herald::api
