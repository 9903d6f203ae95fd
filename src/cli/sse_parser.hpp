// Splits a Server-Sent Events stream, fed in chunks of any size, into the data of its events.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace herald::cli {

class SseParser {
 public:
  // Receives each event's data (its `data:` lines joined by '\n'); returns false to stop.
  using Handler = std::function<bool(std::string_view data)>;

  static constexpr std::size_t kMaxEventBytes = 1 << 20;

  explicit SseParser(Handler on_event) : on_event_(std::move(on_event)) {}

  // Returns false once the handler has asked to stop or the stream is malformed (an event over
  // kMaxEventBytes); what follows is then ignored.
  bool feed(std::string_view chunk);
  bool too_large() const noexcept { return too_large_; }

 private:
  bool end_line();

  Handler on_event_;
  std::string line_;  // the line being read, without its end
  std::string data_;  // the current event's data so far
  bool has_data_ = false;
  bool after_cr_ = false;  // the last byte was '\r': a '\n' right after it ends nothing more
  bool at_start_ = true;   // a byte order mark may open the stream
  bool stopped_ = false;
  bool too_large_ = false;
};

}  // namespace herald::cli
