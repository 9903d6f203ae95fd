#include "core/notice_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace herald {
namespace {

const char* platform_label(DevicePlatform platform) {
  switch (platform) {
    case DevicePlatform::webpush:
      return "Web Push";
    case DevicePlatform::apns:
      return "APNs";
    case DevicePlatform::fcm:
      return "FCM";
  }
  return "push";
}

ChannelOutcome plan_push(const NoticeRecipient& recipient, const ChannelSetup& setup,
                         std::vector<NewDelivery>& rows) {
  const UserContact& contact = recipient.contact;
  std::vector<const Device*> devices;
  for (const auto& device : contact.devices) {
    if (!recipient.only_devices ||
        std::find(recipient.only_devices->begin(), recipient.only_devices->end(), device.id) !=
            recipient.only_devices->end()) {
      devices.push_back(&device);
    }
  }
  if (devices.empty()) {
    rows.push_back({contact.user_id, DeliveryChannel::push, std::nullopt, "",
                    DeliveryStatus::no_device, "no registered device"});
    return {DeliveryStatus::no_device, 0, "no registered device"};
  }
  ChannelOutcome outcome{DeliveryStatus::failed, 0, ""};
  for (const Device* device : devices) {
    NewDelivery row{contact.user_id,
                    DeliveryChannel::push,
                    device->id,
                    platform_name(device->platform),
                    DeliveryStatus::queued,
                    ""};
    if (!setup.supports(device->platform)) {
      row.status = DeliveryStatus::failed;
      row.last_error =
          fmt::format("{} is not configured on this server", platform_label(device->platform));
      if (outcome.reason.empty()) outcome.reason = row.last_error;
    } else {
      outcome.status = DeliveryStatus::queued;
      ++outcome.devices;
    }
    rows.push_back(std::move(row));
  }
  if (outcome.status == DeliveryStatus::queued) outcome.reason.clear();
  return outcome;
}

ChannelOutcome plan_email(const UserContact& contact, const ChannelSetup& setup,
                          std::vector<NewDelivery>& rows) {
  NewDelivery row{contact.user_id, DeliveryChannel::email, std::nullopt,
                  contact.email,   DeliveryStatus::queued, ""};
  if (contact.email.empty()) {
    row.status = DeliveryStatus::no_address;
    row.last_error = "no email address";
  } else if (!setup.email) {
    row.status = DeliveryStatus::failed;
    row.last_error = "email is not configured on this server";
  }
  ChannelOutcome outcome{row.status, 0, row.last_error};
  rows.push_back(std::move(row));
  return outcome;
}

}  // namespace

bool ChannelSetup::supports(DevicePlatform platform) const noexcept {
  switch (platform) {
    case DevicePlatform::webpush:
      return webpush;
    case DevicePlatform::apns:
      return apns;
    case DevicePlatform::fcm:
      return fcm;
  }
  return false;
}

NoticePlan plan_notice(const std::vector<NoticeRecipient>& recipients, bool push, bool email,
                       const ChannelSetup& setup) {
  NoticePlan plan;
  plan.outcomes.reserve(recipients.size());
  plan.deliveries.reserve(recipients.size() * ((push ? 1 : 0) + (email ? 1 : 0)));
  for (const auto& recipient : recipients) {
    RecipientOutcome outcome{recipient.contact.user_id, recipient.contact.username,
                             recipient.contact.display_name, std::nullopt, std::nullopt};
    if (push) outcome.push = plan_push(recipient, setup, plan.deliveries);
    if (email) outcome.email = plan_email(recipient.contact, setup, plan.deliveries);
    plan.outcomes.push_back(std::move(outcome));
  }
  return plan;
}

}  // namespace herald
