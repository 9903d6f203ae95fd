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
// Completes an asynchronous handler: called once, from any thread, with a function that builds
// the response; the transport runs that function on the connection's own I/O thread.
using Respond = std::function<void(std::function<ApiResponse()>)>;
// Runs a task on the transport's worker pool (or at once, when already on it). A handler that
// started on the I/O thread and finds its work long hands the rest over with it; the task must
// not use the RequestContext or the request, which may be gone by then.
using Offload = std::function<void(std::function<void()>)>;
// Starts the work and returns without waiting for it; calls Respond once, when done (for a
// write: after its commit), from whichever thread finished the work.
using AsyncHandler = std::function<void(RequestContext&, Respond, const Offload&)>;

// Where a handler runs. Handlers that may wait (a durable write, a password hash) run on the
// worker pool; short reads answered from memory or one indexed query run on the I/O thread.
enum class Execution { io_thread, worker };

struct Route {
  Method method;
  std::vector<std::string> segments;  // "{name}" segments capture
  Execution execution;
  Handler handler;
  bool body_to_file = false;   // large uploads: streamed to a file, never held in memory
  AsyncHandler async_handler;  // set instead of `handler` for routes that complete later
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
  // A route whose handler starts (on the I/O thread, or on a worker when its reads and checks
  // may take long; an I/O-thread start may still Offload the rest) and responds once its write
  // has committed, so that no thread waits for the store on its behalf.
  void add_async(Method method, std::string_view pattern, Execution execution,
                 AsyncHandler handler);
  RouteMatch match(Method method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace herald::api
