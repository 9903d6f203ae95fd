// The CLI's Server-Sent Events parser, fed in chunks cut anywhere, and its one-line event texts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "cli/listen_output.hpp"
#include "cli/sse_parser.hpp"

namespace herald::cli {
namespace {

std::vector<std::string> parse_in_chunks(std::string_view stream, std::size_t chunk) {
  std::vector<std::string> events;
  SseParser parser([&](std::string_view data) {
    events.emplace_back(data);
    return true;
  });
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    EXPECT_TRUE(parser.feed(stream.substr(at, chunk)));
  }
  return events;
}

TEST(SseParser, SplitsEventsWhereverTheChunksEnd) {
  const std::string stream =
      "\xEF\xBB\xBF: ping\n\ndata: {\"type\":\"welcome\"}\n\n"
      "data:{\"type\":\"alert\"}\r\n\r\n"
      "event: ignored\rid: 4\rdata: first\rdata:  second\r\r"
      ": ping\n\n"
      "data\n\n"
      "data: unfinished\n";
  const std::vector<std::string> expected{"{\"type\":\"welcome\"}", "{\"type\":\"alert\"}",
                                          "first\n second", ""};
  for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
    EXPECT_EQ(parse_in_chunks(stream, chunk), expected) << "chunks of " << chunk;
  }
}

TEST(SseParser, StopsWhenTheHandlerSaysSo) {
  int seen = 0;
  SseParser parser([&](std::string_view) { return ++seen < 2; });
  EXPECT_FALSE(parser.feed("data: 1\n\ndata: 2\n\ndata: 3\n\n"));
  EXPECT_FALSE(parser.feed("data: 4\n\n"));
  EXPECT_EQ(seen, 2);
  EXPECT_FALSE(parser.too_large());
}

TEST(SseParser, RefusesAnEventOverTheLimit) {
  SseParser parser([](std::string_view) { return true; });
  std::string line = "data: " + std::string(SseParser::kMaxEventBytes, 'x');
  EXPECT_FALSE(parser.feed(line));
  EXPECT_TRUE(parser.too_large());
}

std::string describe(const char* json) {
  return describe_event(boost::json::parse(json).as_object());
}

TEST(ListenOutput, DescribesEachEventOnOneLine) {
  EXPECT_EQ(describe(R"({"type":"welcome","session":"5f2a","user":{"id":"7","username":"ann"},
                         "heartbeat_seconds":30})"),
            "connected as ann (session 5f2a)");
  EXPECT_EQ(describe(R"({"type":"alert","id":"1","text":"Fire drill\nnow\u001b[2J",
                         "from":{"id":"1","username":"admin"},"sent_at":"x"})"),
            "alert from admin: Fire drill now [2J");
  EXPECT_EQ(describe(R"({"type":"message.new","message":{"id":"42","kind":"mail",
                         "subject":"Trip","from":{"id":"3","username":"alice",
                         "display_name":"Alice Martin"},"has_attachments":true}})"),
            "new mail 42 from Alice Martin (alice): Trip [attachments]");
  EXPECT_EQ(describe(R"({"type":"counts","inbox":3,"notifications":5})"),
            "unread: 3 in inbox, 5 notifications");
  EXPECT_EQ(describe(R"({"type":"session.dropped","reason":"dropped_by_admin"})"),
            "session dropped by an admin");
  EXPECT_EQ(describe(R"({"type":"alert"})"), "alert from ?: ?");
  EXPECT_EQ(describe(R"({"type":"future","n":1})"), "future event: {\"type\":\"future\",\"n\":1}");
}

}  // namespace
}  // namespace herald::cli
