// What a handler sees of one request: path captures, query, the authenticated caller, and the
// services it may call.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "api/http_types.hpp"
#include "api/query_params.hpp"
#include "common/result.hpp"
#include "core/model.hpp"

namespace herald {
class AuthService;
class BlobService;
class BroadcastService;
class DirectoryService;
class LiveTickets;
class MailService;
class NoticeService;
class Store;
}  // namespace herald

namespace herald::live {
class Hub;
}

namespace herald::api {

struct Services {
  Store& store;
  AuthService& auth;
  DirectoryService& directory;
  MailService& mail;
  BlobService& blobs;
  live::Hub& live;
  LiveTickets& tickets;
  NoticeService& notices;
  BroadcastService& broadcasts;
  std::string vapid_public_key;             // for browsers' push subscriptions
  std::function<void()> deliveries_queued;  // wakes the outbox after a commit
  std::function<void()> broadcast_changed;  // wakes the broadcast fan-out after a commit
  // Runs a task on an I/O thread soon, tasks in the order they were posted.
  std::function<void(std::function<void()>)> post;
};

inline constexpr const char* kSessionCookie = "herald_session";
inline constexpr const char* kCsrfCookie = "herald_csrf";

// The CSRF token that goes with a session token: derived, so nothing more is stored.
std::string csrf_token_for(std::string_view session_token);

class RequestContext {
 public:
  RequestContext(const ApiRequest& request, std::vector<std::string> params, Services& services)
      : request_(request), params_(std::move(params)), services_(services) {}

  const ApiRequest& request() const noexcept { return request_; }
  const std::string& param(std::size_t index) const { return params_.at(index); }
  Services& services() noexcept { return services_; }

  // The caller, from "Authorization: Bearer" or the session cookie. A cookie-authenticated
  // request that changes state must carry the matching X-CSRF-Token header.
  Result<Principal> principal();
  // True when the caller is authenticated by the session cookie rather than a bearer token.
  bool uses_cookie() const noexcept { return request_.authorization.empty(); }
  // The raw session token the caller presented (for logout).
  std::optional<std::string> presented_token() const;

  Result<const QueryParams*> query();
  // ?limit= (default 50, at most 200) and ?cursor=.
  Result<PageRequest> page();
  // ?limit= alone, for lists with cursors of their own shape.
  Result<int> limit();

 private:
  const ApiRequest& request_;
  std::vector<std::string> params_;
  Services& services_;
  std::optional<QueryParams> query_;
};

std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

std::string encode_cursor(Id after);
std::optional<Id> decode_cursor(std::string_view cursor);
boost::json::value cursor_json(const std::optional<Id>& next_after);

}  // namespace herald::api
