// The plain data types of broadcasts: what a send writes, the author's statistics, one
// recipient's state, and the work the delivery fan-out does after the send commits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/delivery_model.hpp"
#include "core/mail_model.hpp"

namespace herald {

// The channels a broadcast uses, as a bit set (stored as such).
struct BroadcastChannels {
  bool inbox = true;  // the inbox copy and the bell item
  bool push = true;   // a push without the content, linking to it
  bool email = true;  // an email with the content

  int bits() const noexcept { return (inbox ? 1 : 0) | (push ? 2 : 0) | (email ? 4 : 0); }
  static BroadcastChannels from_bits(int bits) noexcept {
    return {(bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0};
  }
};

// Everything the store writes, in one transaction, when a broadcast is sent: the message (body
// stored once), the author's copy in `sent`, one row per recipient keyed (broadcast, user) so
// the rows append, and one bell item shared by every recipient. Delivery rows are not written
// here: the broadcast records that they are owed, and the fan-out writes them after the commit.
struct NewBroadcast {
  MessageRecord message;
  BroadcastChannels channels;
  std::optional<PushContent> push;  // its url is completed with the message id
  std::vector<Id> recipients;       // sorted, unique
  std::string notification_title;
  std::string notification_text;
  // The link of the push and of the bell item: this prefix and the message id.
  std::optional<std::string> link_prefix;
};

// A broadcast as its author sees it, with counters kept as recipients act.
struct BroadcastSummary {
  MessageRecord message;
  User author;
  BroadcastChannels channels;
  std::int64_t recipients = 0;
  std::int64_t read = 0;
  std::int64_t replied = 0;
  bool deliveries_pending = false;  // the fan-out has not written every delivery row yet
};

// One recipient's state.
struct BroadcastRecipient {
  User user;
  std::optional<TimeMs> read_at;
  std::optional<TimeMs> replied_at;
  std::optional<Id> reply_thread;  // the 1:1 thread the recipient's replies opened
};

enum class RecipientFilter { all, read, unread, replied };

struct RecipientQuery {
  Id after_user = 0;  // keyset cursor: recipients with a larger user id
  int limit = 50;
  RecipientFilter filter = RecipientFilter::all;
};

struct RecipientPage {
  std::vector<BroadcastRecipient> items;
  std::optional<Id> next_after;
};

// How many of a broadcast's recipients each channel can reach, counted in the store.
struct BroadcastReach {
  std::int64_t recipients = 0;
  std::int64_t with_email = 0;        // an email address
  std::int64_t with_device = 0;       // at least one registered device
  std::int64_t with_push_device = 0;  // at least one device on a platform this server pushes to
};

// What a retraction hands to the live events: who held the broadcast.
struct RetractedBroadcast {
  Id message_id = 0;
  std::vector<Id> recipients;
};

// The fan-out's next piece of work: a slice of one broadcast's recipients whose delivery rows
// are still owed, or, for a retracted broadcast, rows still to clean up.
struct FanoutBatch {
  Id message_id = 0;
  BroadcastChannels channels;
  bool retracted = false;
  Id after_user = 0;                  // the cursor the batch was read at
  Id last_user = 0;                   // the cursor after it
  bool last = false;                  // no recipient is left after this slice
  std::vector<UserContact> contacts;  // the slice's recipients (not for a retracted one)
};

}  // namespace herald
