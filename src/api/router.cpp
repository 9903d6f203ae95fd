#include "api/router.hpp"

#include "api/query_params.hpp"

namespace herald::api {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool is_capture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(Method method, std::string_view pattern, Execution execution, Handler handler) {
  Route route{method, {}, execution, std::move(handler)};
  for (auto segment : split_path(pattern)) route.segments.emplace_back(segment);
  routes_.push_back(std::move(route));
}

void Router::add_upload(Method method, std::string_view pattern, Handler handler) {
  add(method, pattern, Execution::worker, std::move(handler));
  routes_.back().body_to_file = true;
}

void Router::add_async(Method method, std::string_view pattern, Execution execution,
                       AsyncHandler handler) {
  add(method, pattern, execution, nullptr);
  routes_.back().async_handler = std::move(handler);
}

RouteMatch Router::match(Method method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  auto segments = split_path(path);
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      if (is_capture(route.segments[i])) {
        auto decoded = percent_decode(segments[i], false);
        if (!decoded || decoded->empty()) {
          matched = false;
        } else {
          params.push_back(std::move(*decoded));
        }
      } else {
        matched = route.segments[i] == segments[i];
      }
    }
    if (!matched) continue;
    bool method_fits =
        route.method == method || (method == Method::head && route.method == Method::get);
    if (!method_fits) {
      result.path_known = true;
      continue;
    }
    result.route = &route;
    result.params = std::move(params);
    return result;
  }
  return result;
}

}  // namespace herald::api
