// Percent-decoding of paths and query strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::api {

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Nothing on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

class QueryParams {
 public:
  // Nothing when an escape is malformed or a value is not UTF-8.
  static std::optional<QueryParams> parse(std::string_view query);

  // The first value of `name`, if present.
  std::optional<std::string_view> get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace herald::api
