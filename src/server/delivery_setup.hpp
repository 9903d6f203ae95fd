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
  int email_workers = 2;
  int push_workers = 2;
  int max_attempts = 8;
  int retry_base_ms = 10'000;
};

struct DeliverySetup {
  ChannelSetup channels;
  delivery::OutboxOptions outbox;
  delivery::SenderFactories factories;
};

// Checks the options and prepares the senders. Throws std::runtime_error on a bad setting.
DeliverySetup prepare_delivery(const DeliveryOptions& options, const std::string& data_dir,
                               const BlobFiles& blob_files, Store& store);

}  // namespace herald
