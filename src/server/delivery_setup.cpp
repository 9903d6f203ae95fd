#include "server/delivery_setup.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "core/blob_service.hpp"
#include "store/store.hpp"

namespace herald {
namespace {

// The domain of the From address names the Message-IDs, so they are unique to this sender.
std::string message_id_host(const std::string& mail_from) {
  auto at = mail_from.rfind('@');
  if (at == std::string::npos || at + 1 == mail_from.size()) return "herald.invalid";
  return mail_from.substr(at + 1);
}

}  // namespace

DeliverySetup prepare_delivery(const DeliveryOptions& options, const std::string& /*data_dir*/,
                               const BlobFiles& blob_files, Store& store) {
  DeliverySetup setup;
  delivery::OutboxOptions& outbox = setup.outbox;
  outbox.email_workers = options.email_workers;
  outbox.push_workers = options.push_workers;
  outbox.backoff.max_attempts = options.max_attempts;
  outbox.backoff.base_ms = options.retry_base_ms;
  outbox.from = {options.mail_from, ""};
  outbox.message_id_host = message_id_host(options.mail_from);
  outbox.blob_path = [&blob_files, &store](const std::string& blob_id) {
    auto blob = store.find_blob(blob_id);
    return std::filesystem::path(blob ? blob_files.path_of(blob->sha256) : std::string());
  };

  if (options.smtp_url.empty()) {
    spdlog::info("email: no SMTP relay (--smtp): emails are not sent");
  } else if (options.mail_from.empty()) {
    throw std::runtime_error("--smtp needs --mail-from, the address emails are sent from");
  }
  return setup;
}

}  // namespace herald
