#include "delivery/platform_senders.hpp"

namespace herald::delivery {

PlatformPushSender::PlatformPushSender(const PushSetup& setup, const Clock& clock) {
  if (setup.webpush) {
    webpush_ = std::make_unique<WebPushSender>(setup.webpush->vapid_key, setup.webpush->subject,
                                               setup.http, clock);
  }
  if (setup.apns) {
    ApnsConfig apns = *setup.apns;
    apns.http = setup.http;
    apns_ = std::make_unique<ApnsSender>(std::move(apns), clock);
  }
  if (setup.fcm) {
    FcmConfig fcm = *setup.fcm;
    fcm.http = setup.http;
    fcm_ = std::make_unique<FcmSender>(fcm, clock);
  }
}

Outcome PlatformPushSender::send(const Device& device, const PushMessage& message) {
  switch (device.platform) {
    case DevicePlatform::webpush:
      if (webpush_) return webpush_->send(device, message);
      break;
    case DevicePlatform::apns:
      if (apns_) return apns_->send(device, message);
      break;
    case DevicePlatform::fcm:
      if (fcm_) return fcm_->send(device, message);
      break;
  }
  // Rows for an unconfigured platform are written failed; this is a platform removed since.
  return {Verdict::failed,
          std::string(platform_name(device.platform)) + " is not configured on this server",
          std::nullopt};
}

}  // namespace herald::delivery
