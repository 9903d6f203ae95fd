#include "core/broadcast_service.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/address_expansion.hpp"
#include "core/mail_service.hpp"
#include "core/validation.hpp"

namespace herald {
namespace {

Result<void> check_input(const BroadcastInput& input, std::size_t max_body_bytes) {
  if (input.to.empty()) return fail(errc::bad_request, "the broadcast has no recipient");
  if (!input.channels.inbox && !input.channels.push && !input.channels.email) {
    return fail(errc::bad_request, "a broadcast needs at least one channel");
  }
  if (auto bad = check_subject(input.subject, false)) return *bad;
  if (auto bad = check_body(input.body, max_body_bytes, false)) return *bad;
  return {};
}

bool may_manage(const Principal& caller, const BroadcastSummary& broadcast) {
  return broadcast.message.author_id == caller.user_id || caller.is_admin();
}

}  // namespace

BroadcastService::BroadcastService(Store& store, const Clock& clock, BroadcastOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

Result<BroadcastResult> BroadcastService::send(const Principal& caller,
                                               const BroadcastInput& input) {
  if (caller.role == Role::user) {
    return fail(errc::forbidden, "only admins and senders may broadcast");
  }
  if (auto ok = check_input(input, options_.max_body_bytes); !ok) return ok.error();
  auto expansion = expand_addresses(store_, caller, input.to, false, "broadcasts");
  if (!expansion) return expansion.error();
  const std::vector<Id>& recipients = expansion->users;
  if (recipients.empty()) return fail(errc::bad_request, "no one would receive the broadcast");

  auto author = store_.find_user(caller.user_id);
  std::string author_name = author ? author->display_name : caller.username;

  NewBroadcast broadcast;
  MessageRecord& m = broadcast.message;
  m.kind = MessageKind::broadcast;
  m.author_id = caller.user_id;
  m.addresses.to = join_addresses(input.to);
  m.subject = input.subject;
  m.body = input.body;
  m.body_html = render_body_html(m.body, input.format);
  m.snippet = make_snippet(m.body);
  m.created_at = clock_.now_ms();
  m.sent_at = m.created_at;
  broadcast.channels = input.channels;
  std::string title = fmt::format("New broadcast from {}", author_name);
  // The push says who sent it and links to it: the content stays behind the login.
  if (input.channels.push) broadcast.push = PushContent{title, "Open it to read it.", std::nullopt};
  broadcast.notification_title = title;
  broadcast.notification_text = m.subject;
  std::string prefix = options_.public_url;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  broadcast.link_prefix = prefix + "/messages/";
  broadcast.recipients = recipients;

  BroadcastResult result;
  result.channels = input.channels;
  result.recipient_count = static_cast<std::int64_t>(recipients.size());
  auto saved = store_.save_broadcast(broadcast);
  if (!saved) return saved.error();
  result.message = *saved;
  if (input.channels.push || input.channels.email) count_reach(result);
  result.recipients = std::move(broadcast.recipients);
  result.author_username = caller.username;
  result.author_name = std::move(author_name);
  result.notification_title = std::move(broadcast.notification_title);
  result.notification_text = std::move(broadcast.notification_text);
  result.link = *broadcast.link_prefix + std::to_string(saved->id);
  return result;
}

Result<Page<BroadcastSummary>> BroadcastService::list(const Principal& caller,
                                                      const PageRequest& page) {
  return store_.list_broadcasts(caller.user_id, page);
}

Result<std::pair<BroadcastSummary, RecipientPage>> BroadcastService::show(
    const Principal& caller, Id broadcast, const RecipientQuery& query) {
  auto found = store_.find_broadcast(broadcast);
  if (!found || !may_manage(caller, *found)) return fail(errc::not_found, "no such broadcast");
  return std::pair{std::move(*found), store_.broadcast_recipients(broadcast, query)};
}

Result<RetractedBroadcast> BroadcastService::retract(const Principal& caller, Id broadcast) {
  auto found = store_.find_broadcast(broadcast);
  if (!found || !may_manage(caller, *found)) return fail(errc::not_found, "no such broadcast");
  return store_.retract_broadcast(broadcast);
}

// What each channel queued or could not reach, by the rules plan_notice applies to each
// recipient, counted by the store rather than planned row by row.
void BroadcastService::count_reach(BroadcastResult& result) const {
  std::vector<DevicePlatform> platforms;
  for (auto platform : {DevicePlatform::webpush, DevicePlatform::apns, DevicePlatform::fcm}) {
    if (options_.channels.supports(platform)) platforms.push_back(platform);
  }
  auto reach = store_.broadcast_reach(result.message.id, platforms);
  auto add = [](std::map<std::string, std::int64_t>& counts, DeliveryStatus status,
                std::int64_t n) {
    if (n > 0) counts[delivery_status_name(status)] += n;
  };
  if (result.channels.push) {
    add(result.push, DeliveryStatus::queued, reach.with_push_device);
    add(result.push, DeliveryStatus::failed, reach.with_device - reach.with_push_device);
    add(result.push, DeliveryStatus::no_device, reach.recipients - reach.with_device);
  }
  if (result.channels.email) {
    add(result.email, options_.channels.email ? DeliveryStatus::queued : DeliveryStatus::failed,
        reach.with_email);
    add(result.email, DeliveryStatus::no_address, reach.recipients - reach.with_email);
  }
}

std::vector<NewDelivery> BroadcastService::plan_deliveries(const FanoutBatch& batch) const {
  std::vector<NoticeRecipient> recipients;
  recipients.reserve(batch.contacts.size());
  for (const auto& contact : batch.contacts) recipients.push_back({contact, std::nullopt});
  return plan_notice(recipients, batch.channels.push, batch.channels.email, options_.channels)
      .deliveries;
}

}  // namespace herald
