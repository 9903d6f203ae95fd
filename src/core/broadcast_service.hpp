// Broadcasts: one message from an admin or sender to users, groups or everyone, delivered to
// each recipient as an inbox copy and a bell item, a push that links to it without its content,
// and an email that carries it. The author follows who read and who replied, and may retract
// it; replies go to the author alone, in a 1:1 thread per recipient (see MailService).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/broadcast_model.hpp"
#include "core/markdown.hpp"
#include "core/notice_plan.hpp"
#include "store/store.hpp"

namespace herald {

struct BroadcastInput {
  std::vector<std::string> to;  // user:ID, group:ID, all
  std::string subject;
  std::string body;
  BodyFormat format = BodyFormat::markdown;
  BroadcastChannels channels;
};

struct BroadcastResult {
  MessageRecord message;
  BroadcastChannels channels;
  std::int64_t recipient_count = 0;
  // Per channel, how many recipients each status holds (push: "queued", "no_device"...).
  std::map<std::string, std::int64_t> push, email;
  std::vector<Id> recipients;  // for the live events that follow
  std::string author_username;
  std::string author_name;
  std::string notification_title;
  std::string notification_text;
  std::optional<std::string> link;
};

struct BroadcastOptions {
  ChannelSetup channels;
  std::string public_url = "http://127.0.0.1:8080";  // links in pushes and bell items
  std::size_t max_body_bytes = 1024 * 1024;
};

class BroadcastService {
 public:
  BroadcastService(Store& store, const Clock& clock, BroadcastOptions options);

  // forbidden for plain users, for `all` unless admin, and for addresses the communication
  // rules do not allow; bad_request for malformed input or unknown addresses. The 2xx means the
  // broadcast, every inbox copy and bell item, and the deliveries it owes are durable; the
  // delivery rows themselves are written by the fan-out right after.
  // The counts per channel are read after the commit, from the recipient rows it wrote.
  Result<BroadcastResult> send(const Principal& caller, const BroadcastInput& input);

  // The caller's own broadcasts, newest first.
  Result<Page<BroadcastSummary>> list(const Principal& caller, const PageRequest& page);
  // One broadcast and a page of its recipients, for its author or an admin; not_found for
  // anyone else.
  Result<std::pair<BroadcastSummary, RecipientPage>> show(const Principal& caller, Id broadcast,
                                                          const RecipientQuery& query);
  // For its author or an admin; not_found for anyone else and for one already retracted.
  Result<RetractedBroadcast> retract(const Principal& caller, Id broadcast);

  // Where links point, once the server knows its port; call before serving.
  void set_public_url(std::string url) { options_.public_url = std::move(url); }

  // The delivery rows of a fan-out slice.
  std::vector<NewDelivery> plan_deliveries(const FanoutBatch& batch) const;

 private:
  void count_reach(BroadcastResult& result) const;

  Store& store_;
  const Clock& clock_;
  BroadcastOptions options_;
};

}  // namespace herald
