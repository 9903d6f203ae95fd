// Attachments over HTTP: uploads streamed to disk and stored once per content, downloads with
// safe headers, who may fetch what, the upload limit, and files freed when the last copy goes.
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>

#include "common/crypto.hpp"
#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

std::string sha256_hex(const std::string& data) {
  return to_hex(sha256(data));
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(random() & 0xFF);
  return out;
}

// Files holding contents under `data`/blobs, not counting unfinished uploads.
std::size_t stored_files(const fs::path& data) {
  std::size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data / "blobs")) {
    if (!entry.is_regular_file()) continue;
    if (entry.path().parent_path().filename() == "incoming") continue;
    ++count;
  }
  return count;
}

std::size_t incoming_files(const fs::path& data) {
  fs::path incoming = data / "blobs" / "incoming";
  if (!fs::exists(incoming)) return 0;
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(incoming), {}));
}

class AttachmentsApi : public ApiTest {
 protected:
  static HttpResult upload(const HttpClient& client, const std::string& token,
                           const std::string& bytes, const std::string& encoded_name = "") {
    std::string path = "/api/v1/blobs";
    if (!encoded_name.empty()) path += "?name=" + encoded_name;
    std::vector<std::string> headers;
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    return client.request("POST", path, bytes, headers);
  }

  static std::string upload_ok(const std::string& token, const std::string& bytes,
                               const std::string& encoded_name) {
    auto reply = upload(http(), token, bytes, encoded_name);
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "missing";
    return std::string(reply.json().at("id").as_string());
  }

  static std::string send_ok(const std::string& token, const json::object& body) {
    auto reply = http().post("/api/v1/messages", json_text(body), token);
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "0";
    return std::string(reply.json().at("id").as_string());
  }

  // Trash then delete for good; both must succeed.
  static void purge(const std::string& token, const std::string& message) {
    EXPECT_EQ(http().post("/api/v1/messages/" + message + "/trash", "", token).status, 204);
    EXPECT_EQ(http().del("/api/v1/messages/" + message, token).status, 204);
  }

  static fs::path data() { return dir_->path(); }
};

TEST_F(AttachmentsApi, UploadsReportSizeTypeNameAndDigest) {
  std::string png =
      std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\rIHDR", 8) + random_bytes(300, 1);
  auto image = upload(http(), admin_token_, png, "photo.png");
  ASSERT_EQ(image.status, 201) << image.body;
  auto blob = image.json().as_object();
  EXPECT_FALSE(blob.at("id").as_string().empty());
  EXPECT_EQ(blob.at("size").as_int64(), static_cast<std::int64_t>(png.size()));
  EXPECT_EQ(blob.at("type").as_string(), "image/png");
  EXPECT_EQ(blob.at("name").as_string(), "photo.png");
  EXPECT_EQ(blob.at("sha256").as_string(), sha256_hex(png));

  std::string text = "Minutes of the meeting\nAll present.\n";
  auto notes = upload(http(), admin_token_, text, "notes.txt");
  ASSERT_EQ(notes.status, 201) << notes.body;
  std::string type(notes.json().at("type").as_string());
  EXPECT_EQ(type.rfind("text/plain", 0), 0u) << type;
  EXPECT_EQ(notes.json().at("sha256").as_string(), sha256_hex(text));
  EXPECT_NE(notes.json().at("id").as_string(), blob.at("id").as_string());

  // Markup is never served as markup.
  auto page = upload(http(), admin_token_, "<html><script>alert(1)</script></html>", "page.html");
  ASSERT_EQ(page.status, 201) << page.body;
  std::string page_type(page.json().at("type").as_string());
  EXPECT_EQ(page_type.find("html"), std::string::npos) << page_type;

  auto unnamed = upload(http(), admin_token_, "x");
  ASSERT_EQ(unnamed.status, 201) << unnamed.body;
  EXPECT_FALSE(unnamed.json().at("name").as_string().empty());
}

TEST_F(AttachmentsApi, IdenticalContentIsStoredOnce) {
  std::string content = "same bytes " + unique("content") + random_bytes(1000, 2);
  std::size_t before = stored_files(data());
  auto first = upload(http(), admin_token_, content, "a.bin");
  auto second = upload(http(), admin_token_, content, "b.bin");
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(first.json().at("sha256").as_string(), second.json().at("sha256").as_string());
  EXPECT_NE(first.json().at("id").as_string(), second.json().at("id").as_string());
  EXPECT_EQ(stored_files(data()), before + 1);
  EXPECT_EQ(incoming_files(data()), 0u);
  auto copy =
      http().get("/api/v1/blobs/" + std::string(second.json().at("id").as_string()), admin_token_);
  EXPECT_EQ(copy.status, 200);
  EXPECT_EQ(copy.body, content);
  EXPECT_EQ(copy.header("content-disposition").value_or(""), "attachment; filename*=UTF-8''b.bin");
}

TEST_F(AttachmentsApi, DownloadsReturnTheExactBytesWithSafeHeaders) {
  std::string content = random_bytes(4096, 3);
  // "résumé final.pdf", percent-encoded in the query.
  auto reply = upload(http(), admin_token_, content, "r%C3%A9sum%C3%A9%20final.pdf");
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.json().at("name").as_string(), "r\xC3\xA9sum\xC3\xA9 final.pdf");
  std::string id(reply.json().at("id").as_string());
  std::string type(reply.json().at("type").as_string());

  auto download = http().get("/api/v1/blobs/" + id, admin_token_);
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, content);
  EXPECT_EQ(download.header("content-disposition").value_or(""),
            "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf");
  EXPECT_EQ(download.header("x-content-type-options").value_or(""), "nosniff");
  EXPECT_EQ(download.header("content-type").value_or(""), type);
  EXPECT_EQ(download.header("content-length").value_or(""), std::to_string(content.size()));

  EXPECT_EQ(http().get("/api/v1/blobs/no-such-blob", admin_token_).status, 404);
  EXPECT_EQ(http().get("/api/v1/blobs/" + id, "").status, 401);
}

TEST_F(AttachmentsApi, OthersFetchAnAttachmentOnlyOnceTheyHoldAMessageCarryingIt) {
  Account bob = make_account("bob");
  Account carol = make_account("carol");
  std::string content = "plan " + unique("plan");
  std::string blob = upload_ok(admin_token_, content, "plan.txt");
  auto before = http().get("/api/v1/blobs/" + blob, bob.token);
  EXPECT_EQ(before.status, 404);
  EXPECT_EQ(before.error_code(), "not_found");

  std::string message = send_ok(
      admin_token_,
      {{"to", list({"user:" + bob.id})}, {"subject", "The plan"}, {"attachments", list({blob})}});
  auto seen = http().get("/api/v1/messages/" + message, bob.token);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.json().at("attachments").at(0).at("id").as_string(), blob);
  auto after = http().get("/api/v1/blobs/" + blob, bob.token);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, content);
  EXPECT_EQ(http().get("/api/v1/blobs/" + blob, carol.token).status, 404);

  // Nor may bob attach it himself: it is not his upload.
  json::object reuse{
      {"to", list({"user:" + carol.id})}, {"subject", "Mine?"}, {"attachments", list({blob})}};
  EXPECT_EQ(http().post("/api/v1/messages", json_text(reuse), bob.token).status, 400);
  EXPECT_EQ(http().get("/api/v1/blobs/" + blob, carol.token).status, 404);
}

TEST_F(AttachmentsApi, RefusedUploadsLeaveNothingBehind) {
  std::size_t before = stored_files(data());
  auto anonymous = upload(http(), "", "who am I", "x.txt");
  EXPECT_EQ(anonymous.status, 401);
  auto bad_name = upload(http(), admin_token_, "slash", "a%2Fb.txt");
  EXPECT_EQ(bad_name.status, 400);
  auto bad_query = upload(http(), admin_token_, "escape", "%ZZ");
  EXPECT_EQ(bad_query.status, 400);
  EXPECT_EQ(stored_files(data()), before);
  EXPECT_EQ(incoming_files(data()), 0u);
}

TEST_F(AttachmentsApi, AnonymousUploadsAreRefusedBeforeTheirBody) {
  // 20 MB announced and none sent: the refusal must come at once, not after the body.
  std::string reply = raw_exchange(server_->port(),
                                   "POST /api/v1/blobs?name=x HTTP/1.1\r\nHost: x\r\n"
                                   "Content-Length: 20000000\r\n\r\n",
                                   5000);
  EXPECT_EQ(reply.rfind("HTTP/1.1 401", 0), 0u) << reply;
  EXPECT_EQ(incoming_files(data()), 0u);
}

TEST_F(AttachmentsApi, UploadsThatWaitFor100ContinueGetIt) {
  std::string content = "sent after the go-ahead " + unique("continue");
  std::string head =
      "POST /api/v1/blobs?name=late.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      admin_token_ + "\r\nContent-Length: " + std::to_string(content.size()) +
      "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
  int fd = raw_send(server_->port(), head);
  std::string interim;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (interim.find("\r\n\r\n") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd waiting{fd, POLLIN, 0};
    if (::poll(&waiting, 1, 50) <= 0) continue;
    char buffer[512];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    interim.append(buffer, static_cast<std::size_t>(n));
  }
  EXPECT_EQ(interim.rfind("HTTP/1.1 100", 0), 0u) << interim;
  ::send(fd, content.data(), content.size(), MSG_NOSIGNAL);
  std::string reply = raw_receive(fd);
  EXPECT_EQ(reply.rfind("HTTP/1.1 201", 0), 0u) << reply;
  EXPECT_NE(reply.find("\"sha256\":\"" + sha256_hex(content) + "\""), std::string::npos) << reply;
}

TEST_F(AttachmentsApi, UploadsOverTheLimitAre413AndLeaveNothing) {
  TempDir dir;
  HeraldProcess server(dir.path(), {"--max-upload", "1000"});
  HttpClient client(server.base_url());
  std::string admin = client.login("admin", kAdminPassword);

  auto over = upload(client, admin, random_bytes(1001, 4), "big.bin");
  EXPECT_EQ(over.status, 413) << over.body;
  EXPECT_EQ(over.error_code(), "too_large");
  EXPECT_EQ(incoming_files(dir.path()), 0u);
  EXPECT_EQ(stored_files(dir.path()), 0u);

  auto far_over = upload(client, admin, random_bytes(200 * 1000, 5), "bigger.bin");
  EXPECT_EQ(far_over.status, 413) << far_over.body;
  EXPECT_EQ(incoming_files(dir.path()), 0u);
  EXPECT_EQ(stored_files(dir.path()), 0u);

  auto fits = upload(client, admin, random_bytes(1000, 6), "fits.bin");
  EXPECT_EQ(fits.status, 201) << fits.body;
  EXPECT_EQ(stored_files(dir.path()), 1u);
  EXPECT_EQ(incoming_files(dir.path()), 0u);
}

TEST_F(AttachmentsApi, LargeUploadsStream) {
  std::string content = random_bytes(5 * 1024 * 1024, 7);
  auto reply = upload(http(), admin_token_, content, "video.bin");
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.json().at("size").as_int64(), 5 * 1024 * 1024);
  EXPECT_EQ(reply.json().at("sha256").as_string(), sha256_hex(content));
  auto download =
      http().get("/api/v1/blobs/" + std::string(reply.json().at("id").as_string()), admin_token_);
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body.size(), content.size());
  EXPECT_TRUE(download.body == content);
  EXPECT_EQ(incoming_files(data()), 0u);
}

TEST_F(AttachmentsApi, PurgingEveryCopyDeletesTheFile) {
  Account bob = make_account("bob");
  Account carol = make_account("carol");
  std::string content = "report " + unique("report") + random_bytes(500, 8);
  std::size_t before = stored_files(data());
  std::string blob = upload_ok(admin_token_, content, "report.bin");
  EXPECT_EQ(stored_files(data()), before + 1);
  std::string message = send_ok(admin_token_, {{"to", list({"user:" + bob.id, "user:" + carol.id})},
                                               {"subject", "Report"},
                                               {"attachments", list({blob})}});

  purge(bob.token, message);
  EXPECT_EQ(http().get("/api/v1/blobs/" + blob, bob.token).status, 404);
  purge(carol.token, message);
  // The author still holds a copy.
  EXPECT_EQ(stored_files(data()), before + 1);
  EXPECT_EQ(http().get("/api/v1/blobs/" + blob, admin_token_).status, 200);

  purge(admin_token_, message);
  EXPECT_EQ(stored_files(data()), before);
  EXPECT_EQ(http().get("/api/v1/blobs/" + blob, admin_token_).status, 404);
  EXPECT_EQ(http().get("/api/v1/blobs/" + blob, carol.token).status, 404);
}

TEST_F(AttachmentsApi, AFileSharedByAnotherUploadOutlivesThePurge) {
  Account reader = make_account("reader");
  std::string content = "shared " + unique("shared") + random_bytes(500, 9);
  std::size_t before = stored_files(data());
  std::string attached = upload_ok(admin_token_, content, "one.bin");
  std::string kept = upload_ok(admin_token_, content, "two.bin");
  EXPECT_EQ(stored_files(data()), before + 1);
  std::string message = send_ok(admin_token_, {{"to", list({"user:" + reader.id})},
                                               {"subject", "Shared"},
                                               {"attachments", list({attached})}});
  purge(reader.token, message);
  purge(admin_token_, message);
  EXPECT_EQ(http().get("/api/v1/blobs/" + attached, admin_token_).status, 404);
  EXPECT_EQ(stored_files(data()), before + 1);
  auto still = http().get("/api/v1/blobs/" + kept, admin_token_);
  EXPECT_EQ(still.status, 200);
  EXPECT_EQ(still.body, content);
}

}  // namespace
}  // namespace herald::test
