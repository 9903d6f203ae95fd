// How the command-line client prints replies, tables and errors.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "cli/api_client.hpp"

namespace herald::cli {

struct ClientContext;

// A JSON scalar as text: strings bare, null as "-".
std::string text_of(const boost::json::value& value);

void print_error(const std::string& message);
// Prints why the request failed and sets the exit code.
void report_failure(ClientContext& ctx, const ApiReply& reply);
// Prints the reply's JSON when --json was given; returns whether it did.
bool print_json_if_asked(const ClientContext& ctx, const ApiReply& reply);

// Rows of cells, the first row being the header, in aligned columns.
void print_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace herald::cli
