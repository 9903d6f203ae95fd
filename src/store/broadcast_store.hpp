// BroadcastStore: the part of the Store interface that keeps broadcasts. A broadcast's inbox
// copies and bell items are derived from one row per recipient, keyed (broadcast, user) so that
// a send appends instead of scattering across every recipient's mailbox; a user's inbox, bell
// and unread counts merge in the live broadcasts they are a recipient of. Same promises as
// Store: a write that returns ok is durable, and each method is one transaction.
#pragma once

#include <optional>
#include <vector>

#include "common/result.hpp"
#include "core/broadcast_model.hpp"

namespace herald {

class BroadcastStore {
 public:
  virtual ~BroadcastStore() = default;

  // Writes the message, the author's copy in `sent`, the recipient rows, the shared bell item,
  // and the debt of delivery rows the fan-out pays after the commit.
  virtual Result<MessageRecord> save_broadcast(const NewBroadcast& broadcast) = 0;

  // Counts the broadcast's recipients by what each channel can reach; `platforms` are those this
  // server pushes to.
  virtual BroadcastReach broadcast_reach(Id message,
                                         const std::vector<DevicePlatform>& platforms) = 0;

  // A live (not retracted) broadcast.
  virtual std::optional<BroadcastSummary> find_broadcast(Id message) = 0;
  // True when `message` was a broadcast and has been retracted.
  virtual bool broadcast_retracted(Id message) = 0;
  // The author's live broadcasts, newest first; `page.after` is a broadcast id.
  virtual Page<BroadcastSummary> list_broadcasts(Id author, const PageRequest& page) = 0;
  virtual RecipientPage broadcast_recipients(Id message, const RecipientQuery& query) = 0;

  // Takes the broadcast out of every inbox and bell (the unread counts follow, being derived),
  // removes the author's copy, and makes its queued deliveries cancelled: no worker claims them
  // after the commit. Replies and their threads stay. not_found when it is not live.
  virtual Result<RetractedBroadcast> retract_broadcast(Id message) = 0;

  // The fan-out: the oldest broadcast that still owes delivery rows (up to `limit` recipients)
  // or has cleaning up left after a retraction.
  virtual std::optional<FanoutBatch> next_fanout_batch(int limit) = 0;
  // Writes the batch's delivery rows and moves the cursor past it, only if the cursor is still
  // where the batch was read; false when it was not (another writer or a retraction came
  // first), and nothing is written.
  virtual Result<bool> record_fanout_batch(const FanoutBatch& batch,
                                           const std::vector<NewDelivery>& deliveries) = 0;
  // One slice of the clean-up after a retraction: marks the queued rows among its next `limit`
  // delivery rows cancelled or, once past the last, deletes up to `limit` recipient rows; true
  // when nothing is left to clean.
  virtual Result<bool> clean_retracted(Id message, int limit) = 0;
};

}  // namespace herald
