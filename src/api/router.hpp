// Maps a method and a path such as /api/v1/users/42 to a handler, capturing {params}.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.hpp"

namespace herald::api {

class RequestContext;
using Handler = std::function<ApiResponse(RequestContext&)>;

// Where a handler runs. Handlers that may wait (a durable write, a password hash) run on the
// worker pool; short reads answered from memory or one indexed query run on the I/O thread.
enum class Execution { io_thread, worker };

struct Route {
  Method method;
  std::vector<std::string> segments;  // "{name}" segments capture
  Execution execution;
  Handler handler;
  bool body_to_file = false;  // large uploads: streamed to a file, never held in memory
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::string> params;  // percent-decoded captures, in order
  bool path_known = false;          // the path exists for another method (405)
};

class Router {
 public:
  void add(Method method, std::string_view pattern, Execution execution, Handler handler);
  // A route whose request body is streamed to a file (see ApiRequest::body_file).
  void add_upload(Method method, std::string_view pattern, Handler handler);
  RouteMatch match(Method method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace herald::api
