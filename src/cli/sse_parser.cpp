#include "cli/sse_parser.hpp"

namespace herald::cli {

bool SseParser::feed(std::string_view chunk) {
  if (stopped_) return false;
  if (at_start_ && !chunk.empty()) {
    // The byte order mark may be split across chunks; wait until three bytes have come.
    line_.append(chunk);
    if (line_.size() < 3 && std::string_view("\xEF\xBB\xBF").starts_with(line_)) return true;
    at_start_ = false;
    std::string first = std::move(line_);
    line_.clear();
    std::string_view rest(first);
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);
    return feed(rest);
  }
  for (char c : chunk) {
    // Lines end in "\r\n", "\n" or "\r".
    if (c == '\n' && after_cr_) {
      after_cr_ = false;
      continue;
    }
    after_cr_ = c == '\r';
    if (c == '\r' || c == '\n') {
      if (!end_line()) return false;
      continue;
    }
    if (line_.size() + data_.size() >= kMaxEventBytes) {
      too_large_ = stopped_ = true;
      return false;
    }
    line_.push_back(c);
  }
  return true;
}

bool SseParser::end_line() {
  std::string_view line(line_);
  if (line.empty()) {
    bool keep_going = true;
    if (has_data_) keep_going = on_event_(data_);
    data_.clear();
    has_data_ = false;
    stopped_ = !keep_going;
    return keep_going;
  }
  // Comments (": ping") and the fields other than data (event, id, retry) say nothing we use.
  std::string_view field = line.substr(0, line.find(':'));
  if (field == "data") {
    std::string_view value = line.substr(field.size());
    if (!value.empty()) value.remove_prefix(1);  // the colon
    if (value.starts_with(' ')) value.remove_prefix(1);
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  }
  line_.clear();
  return true;
}

}  // namespace herald::cli
