#include "cli/output.hpp"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include "cli/cli_app.hpp"

namespace herald::cli {

std::string text_of(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return "-";
  return boost::json::serialize(value);
}

void print_error(const std::string& message) {
  std::fprintf(stderr, "herald: %s\n", message.c_str());
}

void report_failure(ClientContext& ctx, const ApiReply& reply) {
  print_error(reply.describe_error());
  ctx.exit_code = 1;
}

bool print_json_if_asked(const ClientContext& ctx, const ApiReply& reply) {
  if (!ctx.json) return false;
  std::printf("%s\n", reply.body.c_str());
  return true;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
    }
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace herald::cli
