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

std::string shortened(std::string text, std::size_t width) {
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
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

bool for_each_item(ClientContext& ctx, const std::string& path,
                   const std::function<void(const boost::json::object&)>& on_item) {
  ApiClient client = ctx.client();
  std::string cursor;
  do {
    auto reply = client.get(cursor.empty() ? path : path + "&cursor=" + url_encode(cursor));
    if (!reply.ok()) {
      report_failure(ctx, reply);
      return false;
    }
    if (print_json_if_asked(ctx, reply)) return false;
    for (const auto& item : reply.json.at("items").as_array()) on_item(item.as_object());
    const auto& next = reply.json.at("next_cursor");
    cursor = next.is_string() ? std::string(next.get_string()) : std::string();
  } while (!cursor.empty());
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

std::string short_time(const boost::json::value& value) {
  std::string text = text_of(value);  // 2026-11-23T14:32:47.938Z
  return text.size() >= 19 ? text.substr(0, 10) + " " + text.substr(11, 8) : text;
}

std::string channel_counts_line(const boost::json::object& summary,
                                std::initializer_list<const char*> channels) {
  std::string line;
  for (const char* channel : channels) {
    const auto* counts = summary.if_contains(channel);
    if (!counts || !counts->is_object()) continue;
    std::string part;
    for (const auto& [status, count] : counts->as_object()) {
      if (!part.empty()) part += ", ";
      part += text_of(count) + " " + std::string(status);
    }
    if (!line.empty()) line += "; ";
    line += std::string(channel) + ": " + (part.empty() ? "none" : part);
  }
  return line;
}

}  // namespace herald::cli
