#include "common/error.hpp"

namespace herald {
namespace {

class HeraldCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "herald"; }
  std::string message(int value) const override { return errc_name(static_cast<errc>(value)); }
};

}  // namespace

const std::error_category& herald_category() noexcept {
  static const HeraldCategory category;
  return category;
}

const char* errc_name(errc e) noexcept {
  switch (e) {
    case errc::ok:
      return "ok";
    case errc::bad_request:
      return "bad_request";
    case errc::unauthorized:
      return "unauthorized";
    case errc::forbidden:
      return "forbidden";
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::gone:
      return "gone";
    case errc::too_large:
      return "too_large";
    case errc::rate_limited:
      return "rate_limited";
    case errc::unavailable:
      return "unavailable";
    case errc::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace herald
