// Turns the recipients of a notice into outbox rows and per-recipient outcomes: who can be
// pushed to (a registered device on a platform this server is set up for), who can be emailed
// (an address, and an SMTP relay), and why not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/delivery_model.hpp"

namespace herald {

// The channels this server is configured to send on.
struct ChannelSetup {
  bool email = false;
  bool webpush = false;
  bool apns = false;
  bool fcm = false;

  bool supports(DevicePlatform platform) const noexcept;
};

// One recipient: all their devices, or only the ones addressed by `device:ID`.
struct NoticeRecipient {
  UserContact contact;
  std::optional<std::vector<Id>> only_devices;
};

struct ChannelOutcome {
  DeliveryStatus status = DeliveryStatus::queued;
  int devices = 0;     // push: how many devices it was queued for
  std::string reason;  // why it is not queued
};

struct RecipientOutcome {
  Id user_id = 0;
  std::string username;
  std::string display_name;
  std::optional<ChannelOutcome> push;
  std::optional<ChannelOutcome> email;
};

struct NoticePlan {
  std::vector<NewDelivery> deliveries;
  std::vector<RecipientOutcome> outcomes;
};

NoticePlan plan_notice(const std::vector<NoticeRecipient>& recipients, bool push, bool email,
                       const ChannelSetup& setup);

}  // namespace herald
