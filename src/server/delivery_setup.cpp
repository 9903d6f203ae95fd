#include "server/delivery_setup.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "common/crypto.hpp"
#include "core/blob_service.hpp"
#include "delivery/platform_senders.hpp"
#include "delivery/push/vapid.hpp"
#include "store/store.hpp"

namespace herald {
namespace {

// The domain of the From address names the Message-IDs, so they are unique to this sender.
std::string message_id_host(const std::string& mail_from) {
  auto at = mail_from.rfind('@');
  if (at == std::string::npos || at + 1 == mail_from.size()) return "herald.invalid";
  return mail_from.substr(at + 1);
}

delivery::SmtpConfig smtp_config(const DeliveryOptions& options) {
  delivery::SmtpConfig smtp;
  smtp.url = options.smtp_url;
  smtp.username = options.smtp_user;
  smtp.password = options.smtp_password;
  smtp.starttls = options.smtp_starttls == "always" ? delivery::SmtpConfig::StartTls::required
                  : options.smtp_starttls == "never"
                      ? delivery::SmtpConfig::StartTls::none
                      : delivery::SmtpConfig::StartTls::opportunistic;
  smtp.ca_file = options.smtp_ca_file;
  smtp.timeout = std::chrono::milliseconds(options.timeout_ms);
  if (smtp.url.rfind("smtp://", 0) != 0 && smtp.url.rfind("smtps://", 0) != 0) {
    throw std::runtime_error("--smtp wants smtp://HOST:PORT or smtps://HOST:PORT");
  }
  return smtp;
}

delivery::PushSetup push_setup(const DeliveryOptions& options, const std::string& data_dir,
                               std::string& vapid_public_key) {
  delivery::PushSetup push;
  push.http.ca_file = options.push_ca_file;
  push.http.total_timeout = std::chrono::milliseconds(options.timeout_ms);
  push.http.connect_timeout =
      std::min(push.http.connect_timeout, std::chrono::milliseconds(options.timeout_ms));

  std::filesystem::path key_file = options.vapid_key_file.empty()
                                       ? std::filesystem::path(data_dir) / "vapid.pem"
                                       : std::filesystem::path(options.vapid_key_file);
  std::string subject = options.vapid_subject;
  if (subject.empty()) {
    subject =
        options.mail_from.empty() ? "mailto:postmaster@localhost" : "mailto:" + options.mail_from;
  }
  if (subject.rfind("mailto:", 0) != 0 && subject.rfind("https://", 0) != 0) {
    throw std::runtime_error("--vapid-subject wants a mailto: or https: URL");
  }
  push.webpush = delivery::WebPushSetup{delivery::load_or_create_vapid_key(key_file), subject};
  vapid_public_key = base64url_encode(push.webpush->vapid_key.public_key_point());

  if (!options.apns_key_file.empty()) {
    if (options.apns_key_id.empty() || options.apns_team_id.empty() || options.apns_topic.empty()) {
      throw std::runtime_error("--apns-key needs --apns-key-id, --apns-team-id and --apns-topic");
    }
    delivery::ApnsConfig apns;
    apns.key_file = options.apns_key_file;
    apns.key_id = options.apns_key_id;
    apns.team_id = options.apns_team_id;
    apns.topic = options.apns_topic;
    apns.base_url = options.apns_url;
    push.apns = apns;
  }
  if (!options.fcm_credentials.empty()) {
    delivery::FcmConfig fcm;
    fcm.service_account_file = options.fcm_credentials;
    fcm.base_url = options.fcm_url;
    push.fcm = fcm;
  }
  return push;
}

}  // namespace

DeliverySetup prepare_delivery(const DeliveryOptions& options, const std::string& data_dir,
                               const BlobFiles& blob_files, Store& store, const Clock& clock) {
  DeliverySetup setup;
  delivery::OutboxOptions& outbox = setup.outbox;
  outbox.email_workers = options.email_workers;
  outbox.push_workers = options.push_workers;
  outbox.backoff.max_attempts = options.max_attempts;
  outbox.backoff.base_ms = options.retry_base_ms;
  // A worker may spend a whole timeout on each row of its batch: the lease outlasts them all, so
  // no other worker takes a row still in hand.
  outbox.lease_ms = std::max<std::int64_t>(
      outbox.lease_ms, static_cast<std::int64_t>(outbox.batch + 1) * options.timeout_ms);
  outbox.from = {options.mail_from, ""};
  outbox.message_id_host = message_id_host(options.mail_from);
  outbox.blob_path = [&blob_files, &store](const std::string& blob_id) {
    auto blob = store.find_blob(blob_id);
    return std::filesystem::path(blob ? blob_files.path_of(blob->sha256) : std::string());
  };

  if (options.smtp_url.empty()) {
    spdlog::info("email: no SMTP relay (--smtp): emails are not sent");
  } else {
    if (options.mail_from.empty()) {
      throw std::runtime_error("--smtp needs --mail-from, the address emails are sent from");
    }
    auto smtp = smtp_config(options);
    setup.channels.email = true;
    setup.factories.email = [smtp] { return std::make_unique<delivery::SmtpEmailSender>(smtp); };
  }

  auto push = push_setup(options, data_dir, setup.vapid_public_key);
  setup.channels.webpush = push.webpush.has_value();
  setup.channels.apns = push.apns.has_value();
  setup.channels.fcm = push.fcm.has_value();
  // Made once here so that a bad key stops the start instead of every worker.
  delivery::PlatformPushSender check(push, clock);
  setup.factories.push = [push, &clock] {
    return std::make_unique<delivery::PlatformPushSender>(push, clock);
  };
  spdlog::info("push: Web Push on, APNs {}, FCM {}", setup.channels.apns ? "on" : "off",
               setup.channels.fcm ? "on" : "off");
  return setup;
}

}  // namespace herald
