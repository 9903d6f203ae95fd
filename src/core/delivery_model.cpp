#include "core/delivery_model.hpp"

#include <fmt/format.h>

namespace herald {

const char* channel_name(DeliveryChannel channel) noexcept {
  return channel == DeliveryChannel::email ? "email" : "push";
}

std::optional<DeliveryChannel> parse_channel(std::string_view text) noexcept {
  if (text == "email") return DeliveryChannel::email;
  if (text == "push") return DeliveryChannel::push;
  return std::nullopt;
}

const char* delivery_status_name(DeliveryStatus status) noexcept {
  switch (status) {
    case DeliveryStatus::queued:
      return "queued";
    case DeliveryStatus::sent:
      return "sent";
    case DeliveryStatus::failed:
      return "failed";
    case DeliveryStatus::no_device:
      return "no_device";
    case DeliveryStatus::no_address:
      return "no_address";
    case DeliveryStatus::cancelled:
      return "cancelled";
  }
  return "queued";
}

std::string email_message_id(Id delivery, Id message, std::string_view host) {
  return fmt::format("herald.{}.{}@{}", message, delivery, host);
}

std::string push_id(Id delivery) {
  return fmt::format("herald-delivery-{}", delivery);
}

}  // namespace herald
