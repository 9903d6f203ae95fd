#include "api/live_events.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "common/crypto.hpp"
#include "common/time.hpp"
#include "core/broadcast_service.hpp"
#include "core/mail_model.hpp"
#include "core/mail_service.hpp"
#include "core/notice_service.hpp"
#include "live/hub.hpp"
#include "store/store.hpp"

namespace herald::api {

std::string alert_event(const Principal& sender, std::string_view text, TimeMs sent_at) {
  json::object from{{"id", id_string(sender.user_id)}, {"username", sender.username}};
  return json::serialize(json::object{{"type", "alert"},
                                      {"id", random_token(12)},
                                      {"text", text},
                                      {"from", std::move(from)},
                                      {"sent_at", format_rfc3339(sent_at)}});
}

void publish_new_mail(Services& services, const SendResult& sent) {
  auto online = services.live.online_among(sent.recipients);
  if (online.empty()) return;
  const MessageRecord& message = sent.message;
  TimeMs at = message.sent_at.value_or(message.created_at);
  json::object from{{"id", id_string(message.author_id)},
                    {"username", sent.author_username},
                    {"display_name", sent.author_name}};
  json::object summary{
      {"id", id_string(message.id)},      {"kind", kind_name(message.kind)},
      {"subject", message.subject},       {"from", std::move(from)},
      {"created_at", format_rfc3339(at)}, {"has_attachments", !message.attachments.empty()}};
  services.live.publish_to_users(
      online,
      json::serialize(json::object{{"type", "message.new"}, {"message", std::move(summary)}}));
  json::object bell{{"kind", kind_name(message.kind)},
                    {"message_id", id_string(message.id)},
                    {"title", sent.notification_title},
                    {"text", sent.notification_text},
                    {"url", nullptr},
                    {"created_at", format_rfc3339(at)}};
  services.live.publish_to_users(
      online, json::serialize(
                  json::object{{"type", "notification.new"}, {"notification", std::move(bell)}}));
  for (Id user : online) publish_counts(services, user);
}

void publish_notice(Services& services, const NoticeResult& notice) {
  auto online = services.live.online_among(notice.bell_recipients);
  if (online.empty()) return;
  const MessageRecord& message = notice.message;
  json::object bell{{"kind", kind_name(message.kind)},
                    {"message_id", id_string(message.id)},
                    {"title", notice.notification_title},
                    {"text", notice.notification_text},
                    {"url", notice.notification_url ? json::value(*notice.notification_url)
                                                    : json::value(nullptr)},
                    {"created_at", format_rfc3339(message.created_at)}};
  services.live.publish_to_users(
      online, json::serialize(
                  json::object{{"type", "notification.new"}, {"notification", std::move(bell)}}));
  for (Id user : online) publish_counts(services, user);
}

void publish_broadcast(Services& services, const BroadcastResult& broadcast) {
  if (!broadcast.channels.inbox) return;
  auto online = services.live.online_among(broadcast.recipients);
  if (online.empty()) return;
  const MessageRecord& message = broadcast.message;
  TimeMs at = message.sent_at.value_or(message.created_at);
  json::object from{{"id", id_string(message.author_id)},
                    {"username", broadcast.author_username},
                    {"display_name", broadcast.author_name}};
  json::object summary{{"id", id_string(message.id)},      {"kind", kind_name(message.kind)},
                       {"subject", message.subject},       {"from", std::move(from)},
                       {"created_at", format_rfc3339(at)}, {"has_attachments", false}};
  services.live.publish_to_users(
      online,
      json::serialize(json::object{{"type", "message.new"}, {"message", std::move(summary)}}));
  json::object bell{{"kind", kind_name(message.kind)},
                    {"message_id", id_string(message.id)},
                    {"title", broadcast.notification_title},
                    {"text", broadcast.notification_text},
                    {"url", broadcast.link ? json::value(*broadcast.link) : json::value(nullptr)},
                    {"created_at", format_rfc3339(at)}};
  services.live.publish_to_users(
      online, json::serialize(
                  json::object{{"type", "notification.new"}, {"notification", std::move(bell)}}));
  for (Id user : online) publish_counts(services, user);
}

void publish_retraction(Services& services, const RetractedBroadcast& retracted) {
  auto online = services.live.online_among(retracted.recipients);
  if (online.empty()) return;
  services.live.publish_to_users(
      online, json::serialize(json::object{
                  {"type", "message.retracted"},
                  {"message", json::object{{"id", id_string(retracted.message_id)},
                                           {"kind", kind_name(MessageKind::broadcast)}}}}));
  for (Id user : online) publish_counts(services, user);
}

void publish_counts(Services& services, Id user) {
  if (!services.live.has_sessions(user)) return;
  // Copies of a large send are still being written to this user: reading the counts would wait
  // for them, perhaps on an I/O thread. That send publishes them once they are written.
  if (services.store.copies_pending_for(user)) return;
  auto found = services.store.find_user_with_counts(user);
  if (!found) return;
  services.live.publish_to_users(
      {user}, json::serialize(json::object{{"type", "counts"},
                                           {"inbox", found->second.inbox},
                                           {"notifications", found->second.notifications}}));
}

}  // namespace herald::api
