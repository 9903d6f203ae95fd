// How the command-line client prints replies, tables and errors.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "cli/api_client.hpp"

namespace herald::cli {

struct ClientContext;

// A JSON scalar as text: strings bare, null as "-".
std::string text_of(const boost::json::value& value);
// `text` cut to `width` characters, ending in "..." when it was longer.
std::string shortened(std::string text, std::size_t width);

void print_error(const std::string& message);
// Prints why the request failed and sets the exit code.
void report_failure(ClientContext& ctx, const ApiReply& reply);
// Prints the reply's JSON when --json was given; returns whether it did.
bool print_json_if_asked(const ClientContext& ctx, const ApiReply& reply);

// GETs `path` (which already has a query) page after page, following next_cursor, and calls
// `on_item` for each item. False when a request failed (reported) or --json printed the first
// page instead.
bool for_each_item(ClientContext& ctx, const std::string& path,
                   const std::function<void(const boost::json::object&)>& on_item);

// An RFC 3339 time as "2026-11-23 14:32:47"; null as "-".
std::string short_time(const boost::json::value& value);

// A send's per-channel counts on one line, in the order of `channels`:
// "push: 1 failed, 1 no_device; email: 2 queued". Channels absent from `summary` are left out.
std::string channel_counts_line(const boost::json::object& summary,
                                std::initializer_list<const char*> channels);

// Rows of cells, the first row being the header, in aligned columns.
void print_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace herald::cli
