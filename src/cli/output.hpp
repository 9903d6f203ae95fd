// How the command-line client prints replies, tables and errors.
#pragma once

#include <functional>
#include <string>
#include <vector>

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

// Rows of cells, the first row being the header, in aligned columns.
void print_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace herald::cli
