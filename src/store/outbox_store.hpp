// OutboxStore: the part of the Store interface that keeps notices and the outbox of email and
// push deliveries. Same promises as Store: a write that returns ok is durable, and each method
// is one transaction. Workers claim queued rows with a lease, so a row is sent by one worker at
// a time, and a row whose worker died is taken again when the lease ends (or at start-up).
#pragma once

#include <optional>
#include <vector>

#include "common/result.hpp"
#include "core/delivery_model.hpp"

namespace herald {

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // The email address and devices (id and platform only) of each user, by user id; unknown
  // users are skipped.
  virtual std::vector<UserContact> contacts_of(const std::vector<Id>& users) = 0;

  // Writes the notice, the author's copy in `sent`, the bell items and their counters, and every
  // delivery row, in one transaction.
  virtual Result<MessageRecord> save_notice(const NewNotice& notice) = 0;

  // The message's push part, if it has one.
  virtual std::optional<PushContent> push_content(Id message) = 0;

  // The message's delivery rows, by id.
  virtual Page<DeliveryRecord> list_deliveries(Id message, const PageRequest& page) = 0;

  // Takes up to `limit` queued rows of the channel that are due at `now`, counts an attempt on
  // each, and leases them until `now + lease_ms`.
  virtual std::vector<DeliveryJob> claim_deliveries(DeliveryChannel channel, TimeMs now,
                                                    TimeMs lease_ms, int limit) = 0;
  // Records what became of claimed rows, removing devices a push service called gone.
  virtual Result<void> record_deliveries(const std::vector<DeliveryResult>& results,
                                         TimeMs now) = 0;
  // Makes every leased row due at `now`: at start-up, when no worker can hold one.
  virtual Result<void> release_deliveries(TimeMs now) = 0;
  // When the channel's next queued row is due, if any is queued.
  virtual std::optional<TimeMs> next_delivery_due(DeliveryChannel channel) = 0;
};

}  // namespace herald
