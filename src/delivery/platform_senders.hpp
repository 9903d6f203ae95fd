// The outbox's real senders: SMTP for email, and for push a sender that hands each device to
// its platform's sender (Web Push, APNs, FCM), each made only when that platform is set up.
#pragma once

#include <memory>
#include <optional>

#include "common/time.hpp"
#include "delivery/email/smtp_sender.hpp"
#include "delivery/push/apns_sender.hpp"
#include "delivery/push/fcm_sender.hpp"
#include "delivery/push/web_push_sender.hpp"
#include "delivery/sender.hpp"

namespace herald::delivery {

class SmtpEmailSender final : public EmailSender {
 public:
  explicit SmtpEmailSender(SmtpConfig config) : smtp_(std::move(config)) {}
  Outcome send(const OutgoingEmail& email) override { return smtp_.send(email); }

 private:
  SmtpSender smtp_;
};

struct WebPushSetup {
  SigningKey vapid_key;
  std::string subject;
};

struct PushSetup {
  std::optional<WebPushSetup> webpush;
  std::optional<ApnsConfig> apns;
  std::optional<FcmConfig> fcm;
  HttpClientOptions http;  // timeouts and trust for every push service
};

class PlatformPushSender final : public PushSender {
 public:
  // Throws when a configured platform's key cannot be loaded. `clock` must outlive the sender.
  PlatformPushSender(const PushSetup& setup, const Clock& clock);
  Outcome send(const Device& device, const PushMessage& message) override;

 private:
  std::unique_ptr<WebPushSender> webpush_;
  std::unique_ptr<ApnsSender> apns_;
  std::unique_ptr<FcmSender> fcm_;
};

}  // namespace herald::delivery
