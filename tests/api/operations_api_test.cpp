// /healthz, /metrics, unknown paths and methods, and the HTTP layer's own limits.
#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

using OperationsApi = ApiTest;

TEST_F(OperationsApi, HealthzAnswersWithoutAuthentication) {
  auto reply = http().get("/healthz");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.json().at("status").as_string(), "ok");
}

TEST_F(OperationsApi, MetricsAreInPrometheusTextFormat) {
  (void)http().get("/api/v1/me", admin_token_);
  auto reply = http().get("/metrics");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type").value_or("").rfind("text/plain", 0), 0u);
  EXPECT_NE(reply.body.find("# TYPE herald_http_responses_total counter"), std::string::npos);
  EXPECT_NE(reply.body.find("herald_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(reply.body.find("herald_store_commits_total"), std::string::npos);
}

TEST_F(OperationsApi, UnknownPathsAre404AndWrongMethods405) {
  auto missing = http().get("/api/v1/nothing-here", admin_token_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.error_code(), "not_found");
  auto wrong =
      http().request("POST", "/api/v1/me", "{}", {"Authorization: Bearer " + admin_token_});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.error_code(), "method_not_allowed");
}

TEST_F(OperationsApi, MalformedHttpIs400) {
  std::string reply = raw_exchange(server_->port(), "NOT A REQUEST\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_NE(reply.find("\"bad_request\""), std::string::npos);
}

TEST_F(OperationsApi, AClientStillWritingAnOversizedBodyGetsTheAnswer) {
  // Larger than the sockets' buffers hold: the server answers 413 after the header, then reads
  // and drops the rest before it closes. Closed at once, it made the client's writes fail on a
  // reset (a broken pipe) before the body was out.
  std::string body(16 * 1024 * 1024, 'x');
  std::string request =
      "POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::size_t sent = 0;
  int fd = raw_send(server_->port(), request, &sent);
  std::string reply = raw_receive(fd);
  EXPECT_EQ(sent, request.size());
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 200);
}

TEST_F(OperationsApi, OversizedHeadersAre431) {
  std::string request =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n";
  std::string reply = raw_exchange(server_->port(), request);
  EXPECT_EQ(reply.rfind("HTTP/1.1 431", 0), 0u) << reply.substr(0, 200);
}

TEST_F(OperationsApi, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string last = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string reply = raw_exchange(server_->port(), one + one + last);
  std::size_t count = 0;
  for (auto at = reply.find("HTTP/1.1 200"); at != std::string::npos;
       at = reply.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST_F(OperationsApi, HeadAnswersWithoutABody) {
  std::string head = "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string reply = raw_exchange(server_->port(), head + get);
  // Two responses, and only the second has a body: the client does not misread the stream.
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u);
  auto second = reply.find("HTTP/1.1 200", 1);
  ASSERT_NE(second, std::string::npos) << reply;
  EXPECT_EQ(reply.find("\"status\""), reply.find("\"status\"", second));
}

TEST_F(OperationsApi, ResponsesCarrySafetyHeaders) {
  auto reply = http().get("/api/v1/me", admin_token_);
  EXPECT_EQ(reply.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(reply.header("cache-control"), "no-store");
}

}  // namespace
}  // namespace herald::test
