// Notices: a one-off message from an admin or sender to users, groups, devices or everyone, on
// push and/or email, with a bell item for each recipient. One transaction writes the notice, the
// bell items and every outbox row; the reply says, per recipient and channel, what was queued
// and why anything was not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/markdown.hpp"
#include "core/notice_plan.hpp"
#include "store/store.hpp"

namespace herald {

struct NoticeInput {
  struct Push {
    std::string text;
    std::optional<std::string> url;
    std::optional<std::string> title;
  };
  struct Email {
    std::string subject;
    std::string body;
    BodyFormat format = BodyFormat::markdown;
  };
  std::vector<std::string> to;
  std::optional<Push> push;
  std::optional<Email> email;
};

struct NoticeResult {
  MessageRecord message;
  std::vector<RecipientOutcome> recipients;
  std::vector<Id> bell_recipients;  // for the live events that follow
  std::string notification_title;
  std::string notification_text;
  std::optional<std::string> notification_url;
};

struct NoticeOptions {
  ChannelSetup channels;
  std::string message_id_host = "herald.invalid";  // the right side of emails' Message-IDs
  std::size_t max_body_bytes = 1024 * 1024;
};

class NoticeService {
 public:
  NoticeService(Store& store, const Clock& clock, NoticeOptions options);

  // forbidden for plain users, for `all` unless admin, and for addresses the communication rules
  // do not allow; bad_request for malformed input or unknown addresses (nothing is written).
  Result<NoticeResult> send(const Principal& caller, const NoticeInput& input);

  // The delivery rows of a message, for its author or an admin; not_found for anyone else.
  Result<Page<DeliveryRecord>> deliveries(const Principal& caller, Id message,
                                          const PageRequest& page);

  const ChannelSetup& channels() const noexcept { return options_.channels; }
  // The key a delivery is recognised by on every attempt: the email's Message-ID, the push id.
  std::string idempotency_key(const DeliveryRecord& delivery) const;

 private:
  Result<std::vector<NoticeRecipient>> expand(const Principal& caller,
                                              const std::vector<std::string>& to);

  Store& store_;
  const Clock& clock_;
  NoticeOptions options_;
};

}  // namespace herald
