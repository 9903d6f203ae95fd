// The delivery configuration of `herald serve` (SMTP relay, Web Push, APNs, FCM, retries), and
// what it turns into: which channels the server can send on and the outbox's senders.
#pragma once

#include <string>

#include "core/notice_plan.hpp"
#include "delivery/outbox.hpp"

namespace herald {

class BlobFiles;
class Store;

struct DeliveryOptions {
  std::string smtp_url;  // smtp://host:port or smtps://host:port; empty: email is not sent
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_starttls = "auto";  // auto (when offered), always, never
  std::string smtp_ca_file;            // trust this CA for the relay instead of the system's
  std::string mail_from;               // the From address of every email
  std::string vapid_key_file;          // empty: vapid.pem in the data folder, made at first start
  std::string vapid_subject;  // empty: mailto:<mail_from>, else mailto:postmaster@localhost
  std::string apns_key_file;  // empty: APNs is off
  std::string apns_key_id;
  std::string apns_team_id;
  std::string apns_topic;
  std::string apns_url = "https://api.push.apple.com";
  std::string fcm_credentials;  // a service account's JSON key file; empty: FCM is off
  std::string fcm_url = "https://fcm.googleapis.com";
  std::string push_ca_file;  // trust this CA for push services instead of the system's
  int timeout_ms = 30'000;   // the limit on one send, email or push
  int email_workers = 2;
  int push_workers = 2;
  int max_attempts = 8;
  int retry_base_ms = 10'000;
};

struct DeliverySetup {
  ChannelSetup channels;
  delivery::OutboxOptions outbox;
  delivery::SenderFactories factories;
  std::string vapid_public_key;  // base64url, for browsers' applicationServerKey
};

// Checks the options and prepares the senders. Throws std::runtime_error on a bad setting.
DeliverySetup prepare_delivery(const DeliveryOptions& options, const std::string& data_dir,
                               const BlobFiles& blob_files, Store& store, const Clock& clock);

}  // namespace herald
