// Helpers shared by the mail integration tests: a real server, JSON shorthands, and the
// MailApi fixture with its send/read/act helpers.
#pragma once

#include <algorithm>
#include <atomic>
#include <ostream>
#include <thread>
#include <vector>

#include "support/api_fixture.hpp"

namespace herald::test {

namespace json = boost::json;

struct Counts {
  std::int64_t total = -1;
  std::int64_t unread = -1;
  friend bool operator==(const Counts&, const Counts&) = default;
  friend std::ostream& operator<<(std::ostream& out, const Counts& c) {
    return out << "{total " << c.total << ", unread " << c.unread << "}";
  }
};

using Ids = std::vector<std::string>;

inline json::array list(const Ids& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

inline Ids strings(const json::value& array) {
  Ids out;
  for (const auto& item : array.as_array()) out.emplace_back(item.as_string());
  return out;
}

class MailApi : public ApiTest {
 protected:
  static HttpResult send(const std::string& token, const json::object& body) {
    return http().post("/api/v1/messages", json_text(body), token);
  }

  // Sends a mail that must be accepted; returns its id.
  static std::string send_ok(const std::string& token, const json::object& body) {
    auto reply = send(token, body);
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "0";
    return std::string(reply.json().at("id").as_string());
  }

  static json::object message(const std::string& token, const std::string& id) {
    auto reply = http().get("/api/v1/messages/" + id, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    return reply.json().as_object();
  }

  static long status_of(const std::string& token, const std::string& id) {
    return http().get("/api/v1/messages/" + id, token).status;
  }

  // POST /messages/{id}/{verb} (read, unread, trash, restore, send).
  static HttpResult act(const std::string& token, const std::string& id, const std::string& verb) {
    return http().post("/api/v1/messages/" + id + "/" + verb, "", token);
  }

  static HttpResult bulk(const std::string& token, const Ids& ids, const std::string& action) {
    json::object body{{"ids", list(ids)}, {"action", action}};
    return http().post("/api/v1/messages/actions", json_text(body), token);
  }

  static Counts folder(const std::string& token, const std::string& name) {
    auto reply = http().get("/api/v1/folders", token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {};
    auto listing = reply.json();
    for (const auto& item : listing.at("items").as_array()) {
      if (item.at("name").as_string() == name) {
        return {item.at("total").as_int64(), item.at("unread").as_int64()};
      }
    }
    ADD_FAILURE() << "GET /folders lists no folder " << name;
    return {};
  }

  // Every id of a folder page by page, newest first; `filter` is extra query text.
  static Ids folder_ids(const std::string& token, const std::string& name,
                        const std::string& filter = "", int limit = 200) {
    Ids ids;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      std::string path =
          "/api/v1/folders/" + name + "/messages?limit=" + std::to_string(limit) + filter;
      if (!cursor.empty()) path += "&cursor=" + cursor;
      auto reply = http().get(path, token);
      EXPECT_EQ(reply.status, 200) << reply.body;
      if (reply.status != 200) break;
      auto body = reply.json().as_object();
      for (const auto& item : body.at("items").as_array())
        ids.emplace_back(item.at("id").as_string());
      if (body.at("next_cursor").is_null()) break;
      cursor = std::string(body.at("next_cursor").as_string());
    }
    return ids;
  }

  static std::int64_t unread_inbox(const std::string& token) {
    auto me = http().get("/api/v1/me", token);
    EXPECT_EQ(me.status, 200) << me.body;
    return me.json().at("unread").at("inbox").as_int64();
  }

  static void add_member(const std::string& group_id, const std::string& user_id) {
    EXPECT_EQ(http().put("/api/v1/groups/" + group_id + "/members/" + user_id, admin_token_).status,
              204);
  }

  static std::string admin_id() {
    return std::string(
        http().get("/api/v1/me", admin_token_).json().at("user").at("id").as_string());
  }

  static std::string upload(const std::string& token, const std::string& bytes,
                            const std::string& name) {
    auto reply = http().request("POST", "/api/v1/blobs?name=" + name, bytes,
                                {"Authorization: Bearer " + token});
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "missing";
    return std::string(reply.json().at("id").as_string());
  }
};

}  // namespace herald::test
