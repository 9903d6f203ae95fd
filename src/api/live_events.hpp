// The events the API publishes to live sessions after a change commits: alerts, new mail and
// the unread counters. Publishing never waits on a session or on the network.
#pragma once

#include <string>

#include "core/model.hpp"

namespace herald {
struct SendResult;
struct NoticeResult;
struct BroadcastResult;
struct RetractedBroadcast;
}  // namespace herald

namespace herald::api {

struct Services;

std::string alert_event(const Principal& sender, std::string_view text, TimeMs sent_at);
// message.new and notification.new to every recipient, then counts to those online.
void publish_new_mail(Services& services, const SendResult& sent);
// notification.new to every recipient of a notice, then counts to those online.
void publish_notice(Services& services, const NoticeResult& notice);
// message.new and notification.new to every recipient of a broadcast, then counts.
void publish_broadcast(Services& services, const BroadcastResult& broadcast);
// message.retracted to every recipient of a retracted broadcast, then counts.
void publish_retraction(Services& services, const RetractedBroadcast& retracted);
// The caller's unread counters, to their own sessions, when they have any; not while copies of
// a large send to them are being written (that send publishes them once they are).
void publish_counts(Services& services, Id user);

}  // namespace herald::api
