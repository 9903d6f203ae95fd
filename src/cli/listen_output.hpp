// How `herald listen` shows each event of a live session: one readable line per event.
#pragma once

#include <string>

#include <boost/json/object.hpp>

namespace herald::cli {

// The event as one line, without a time stamp or line end; control characters in the server's
// text are replaced by spaces so that a line stays one line and cannot steer the terminal.
std::string describe_event(const boost::json::object& event);

// "dropped_by_admin" -> "by an admin", and so on; unknown reasons as they are.
std::string describe_drop_reason(const std::string& reason);

}  // namespace herald::cli
