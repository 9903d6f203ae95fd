// The plain data types of notices and of the outbox: delivery rows, what a worker claims, and
// what it reports back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/device.hpp"
#include "core/mail_model.hpp"

namespace herald {

enum class DeliveryChannel { email, push };
enum class DeliveryStatus { queued, sent, failed, no_device, no_address, cancelled };

const char* channel_name(DeliveryChannel channel) noexcept;
std::optional<DeliveryChannel> parse_channel(std::string_view text) noexcept;
const char* delivery_status_name(DeliveryStatus status) noexcept;

// The push part of a notice or broadcast, as every platform shows it.
struct PushContent {
  std::string title;
  std::string text;
  std::optional<std::string> url;
};

// One row of the outbox to write with a notice.
struct NewDelivery {
  Id user_id = 0;
  DeliveryChannel channel = DeliveryChannel::email;
  std::optional<Id> device_id;  // push: the device; absent for no_device
  std::string address;          // email: the address; push: the device's platform
  DeliveryStatus status = DeliveryStatus::queued;
  std::string last_error;  // why a row starts failed (a channel not configured)
};

// Everything the store writes, in one transaction, when a notice is sent: the message and the
// author's copy in `sent`, a bell item per recipient with its counter, and every delivery row.
struct NewNotice {
  MessageRecord message;
  std::optional<PushContent> push;
  std::vector<Id> recipients;  // users who get a bell item
  std::string notification_title;
  std::string notification_text;
  std::optional<std::string> notification_url;
  std::vector<NewDelivery> deliveries;
};

// A delivery row as GET /deliveries shows it.
struct DeliveryRecord {
  Id id = 0;
  Id message_id = 0;
  Id user_id = 0;
  std::string username;
  DeliveryChannel channel = DeliveryChannel::email;
  std::optional<Id> device_id;
  std::string address;
  DeliveryStatus status = DeliveryStatus::queued;
  int attempts = 0;
  std::string last_error;
  std::optional<TimeMs> next_attempt_at;  // queued rows only
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// A user's ways of being reached, read when a notice is planned.
struct UserContact {
  Id user_id = 0;
  std::string username;
  std::string display_name;
  std::string email;            // empty: none
  std::vector<Device> devices;  // id, user_id and platform
};

// A queued row a worker has claimed, with what it needs to send it.
struct DeliveryJob {
  Id id = 0;
  Id message_id = 0;
  DeliveryChannel channel = DeliveryChannel::email;
  int attempts = 0;  // including this one
  Id user_id = 0;
  std::string recipient_name;
  std::string address;           // email: the address
  std::optional<Device> device;  // push: absent when the device was removed since
  std::string author_name;
  std::string subject;
  std::string body;
  std::string body_html;
  std::vector<AttachmentRef> attachments;
  std::optional<PushContent> push;
};

// What became of a claimed job.
struct DeliveryResult {
  Id id = 0;
  DeliveryStatus status = DeliveryStatus::sent;  // queued: try again at next_attempt_at
  std::string error;
  TimeMs next_attempt_at = 0;
  std::optional<Id> remove_device;  // the push service said the device is gone
};

// The idempotency keys of a delivery, the same on every attempt: the email's Message-ID (without
// angle brackets) and the push id.
std::string email_message_id(Id delivery, Id message, std::string_view host);
std::string push_id(Id delivery);

}  // namespace herald
