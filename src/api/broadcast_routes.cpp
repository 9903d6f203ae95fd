// Broadcasts: POST /broadcasts, GET /broadcasts, GET /broadcasts/{id}, DELETE /broadcasts/{id}.
// Replies go through POST /messages with reply_to (message_routes.cpp).
#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "api/live_events.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "common/time.hpp"
#include "core/broadcast_service.hpp"

namespace herald::api {
namespace {

Error no_such_broadcast() {
  return fail(errc::not_found, "no such broadcast");
}

Result<BroadcastChannels> channels_input(const json::object& body) {
  auto it = body.find("channels");
  if (it == body.end() || it->value().is_null()) return BroadcastChannels{};
  auto names = string_list(body, "channels");
  if (!names) return names.error();
  BroadcastChannels channels{false, false, false};
  for (const auto& name : *names) {
    if (name == "inbox") {
      channels.inbox = true;
    } else if (name == "push") {
      channels.push = true;
    } else if (name == "email") {
      channels.email = true;
    } else {
      return fail(errc::bad_request,
                  "unknown channel '" + name + "': channels are inbox, push and email");
    }
  }
  if (names->empty()) return fail(errc::bad_request, "channels is empty");
  return channels;
}

Result<BroadcastInput> broadcast_input(const json::object& body) {
  if (auto fields = allow_only(body, {"to", "subject", "body", "format", "channels"}); !fields) {
    return fields.error();
  }
  BroadcastInput input;
  auto to = string_list(body, "to");
  if (!to) return to.error();
  input.to = std::move(*to);
  auto subject = required_string(body, "subject");
  if (!subject) return subject.error();
  input.subject = std::move(*subject);
  auto text = required_string(body, "body");
  if (!text) return text.error();
  input.body = std::move(*text);
  auto format = optional_string(body, "format");
  if (!format) return format.error();
  if (*format && **format != "markdown" && **format != "text") {
    return fail(errc::bad_request, "format must be 'markdown' or 'text'");
  }
  input.format = *format && **format == "text" ? BodyFormat::text : BodyFormat::markdown;
  auto channels = channels_input(body);
  if (!channels) return channels.error();
  input.channels = *channels;
  return input;
}

json::array channels_json(const BroadcastChannels& channels) {
  json::array out;
  if (channels.inbox) out.push_back("inbox");
  if (channels.push) out.push_back("push");
  if (channels.email) out.push_back("email");
  return out;
}

json::value time_or_null(const std::optional<TimeMs>& at) {
  return at ? json::value(format_rfc3339(*at)) : json::value(nullptr);
}

json::object summary_json(const BroadcastSummary& b) {
  return json::object{{"id", id_string(b.message.id)},
                      {"kind", "broadcast"},
                      {"author", to_json_summary(b.author)},
                      {"subject", b.message.subject},
                      {"snippet", b.message.snippet},
                      {"to", b.message.addresses.to},
                      {"channels", channels_json(b.channels)},
                      {"created_at", format_rfc3339(b.message.created_at)},
                      {"recipient_count", b.recipients},
                      {"read_count", b.read},
                      {"replied_count", b.replied},
                      {"deliveries_pending", b.deliveries_pending}};
}

json::object counts_json(const std::map<std::string, std::int64_t>& counts) {
  json::object out;
  for (const auto& [status, count] : counts) out[status] = count;
  return out;
}

ApiResponse send_broadcast(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  auto input = broadcast_input(*body);
  if (!input) return error_response(input.error());
  auto sent = ctx.services().broadcasts.send(*caller, *input);
  if (!sent) return error_response(sent.error());
  ctx.services().broadcast_changed();
  publish_broadcast(ctx.services(), *sent);
  json::object summary;
  if (sent->channels.inbox) summary["inbox"] = json::object{{"delivered", sent->recipient_count}};
  if (sent->channels.push) summary["push"] = counts_json(sent->push);
  if (sent->channels.email) summary["email"] = counts_json(sent->email);
  const MessageRecord& m = sent->message;
  return json_response(201, json::object{{"id", id_string(m.id)},
                                         {"kind", "broadcast"},
                                         {"subject", m.subject},
                                         {"channels", channels_json(sent->channels)},
                                         {"created_at", format_rfc3339(m.created_at)},
                                         {"recipient_count", sent->recipient_count},
                                         {"summary", std::move(summary)}});
}

ApiResponse list_broadcasts(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  auto found = ctx.services().broadcasts.list(*caller, *page);
  if (!found) return error_response(found.error());
  json::array items;
  for (const auto& b : found->items) items.push_back(summary_json(b));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", cursor_json(found->next_after)}});
}

Result<RecipientFilter> recipient_filter(RequestContext& ctx) {
  auto query = ctx.query();
  if (!query) return query.error();
  auto text = (*query)->get("filter");
  if (!text || *text == "all") return RecipientFilter::all;
  if (*text == "read") return RecipientFilter::read;
  if (*text == "unread") return RecipientFilter::unread;
  if (*text == "replied") return RecipientFilter::replied;
  return fail(errc::bad_request, "filter must be all, read, unread or replied");
}

ApiResponse get_broadcast(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_broadcast());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  auto filter = recipient_filter(ctx);
  if (!filter) return error_response(filter.error());
  auto found = ctx.services().broadcasts.show(*caller, *id,
                                              RecipientQuery{page->after, page->limit, *filter});
  if (!found) return error_response(found.error());
  auto& [broadcast, recipients] = *found;
  json::object out = summary_json(broadcast);
  out["body"] = broadcast.message.body;
  out["body_html"] = broadcast.message.body_html;
  json::array items;
  for (const auto& r : recipients.items) {
    items.push_back(
        json::object{{"user", to_json_summary(r.user)},
                     {"read_at", time_or_null(r.read_at)},
                     {"replied_at", time_or_null(r.replied_at)},
                     {"reply_thread", r.reply_thread ? json::value(id_string(*r.reply_thread))
                                                     : json::value(nullptr)}});
  }
  out["recipients"] = json::object{{"items", std::move(items)},
                                   {"next_cursor", cursor_json(recipients.next_after)}};
  return json_response(200, out);
}

ApiResponse retract_broadcast(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_broadcast());
  auto retracted = ctx.services().broadcasts.retract(*caller, *id);
  if (!retracted) return error_response(retracted.error());
  ctx.services().broadcast_changed();
  publish_retraction(ctx.services(), *retracted);
  return no_content();
}

}  // namespace

void add_broadcast_routes(Router& router) {
  router.add(Method::post, "/api/v1/broadcasts", Execution::worker, send_broadcast);
  router.add(Method::get, "/api/v1/broadcasts", Execution::io_thread, list_broadcasts);
  router.add(Method::get, "/api/v1/broadcasts/{id}", Execution::io_thread, get_broadcast);
  router.add(Method::del, "/api/v1/broadcasts/{id}", Execution::worker, retract_broadcast);
}

}  // namespace herald::api
