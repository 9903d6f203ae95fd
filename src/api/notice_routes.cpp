// Notices and the outbox: POST /notices, GET /deliveries?message=.
#include <iterator>
#include <map>

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_io.hpp"
#include "api/live_events.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "common/time.hpp"
#include "core/notice_service.hpp"

namespace herald::api {
namespace {

Result<std::optional<json::object>> optional_object(const json::object& body,
                                                    std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || it->value().is_null()) return std::optional<json::object>();
  if (!it->value().is_object()) {
    return fail(errc::bad_request, "field '" + std::string(key) + "' must be an object");
  }
  return std::optional<json::object>(it->value().as_object());
}

Result<NoticeInput::Push> push_input(const json::object& push) {
  if (auto fields = allow_only(push, {"text", "url", "title"}); !fields) return fields.error();
  NoticeInput::Push out;
  auto text = required_string(push, "text");
  if (!text) return text.error();
  out.text = std::move(*text);
  auto url = optional_string(push, "url");
  if (!url) return url.error();
  out.url = std::move(*url);
  auto title = optional_string(push, "title");
  if (!title) return title.error();
  out.title = std::move(*title);
  return out;
}

Result<NoticeInput::Email> email_input(const json::object& email) {
  if (auto fields = allow_only(email, {"subject", "body", "format"}); !fields) {
    return fields.error();
  }
  NoticeInput::Email out;
  auto subject = required_string(email, "subject");
  if (!subject) return subject.error();
  out.subject = std::move(*subject);
  auto body = optional_string(email, "body");
  if (!body) return body.error();
  out.body = body->value_or("");
  auto format = optional_string(email, "format");
  if (!format) return format.error();
  if (*format && **format != "markdown" && **format != "text") {
    return fail(errc::bad_request, "email.format must be 'markdown' or 'text'");
  }
  out.format = *format && **format == "text" ? BodyFormat::text : BodyFormat::markdown;
  return out;
}

Result<NoticeInput> notice_input(const json::object& body) {
  if (auto fields = allow_only(body, {"to", "push", "email"}); !fields) return fields.error();
  NoticeInput input;
  auto to = string_list(body, "to");
  if (!to) return to.error();
  input.to = std::move(*to);
  auto push = optional_object(body, "push");
  if (!push) return push.error();
  if (*push) {
    auto parsed = push_input(**push);
    if (!parsed) return parsed.error();
    input.push = std::move(*parsed);
  }
  auto email = optional_object(body, "email");
  if (!email) return email.error();
  if (*email) {
    auto parsed = email_input(**email);
    if (!parsed) return parsed.error();
    input.email = std::move(*parsed);
  }
  return input;
}

void append_channel(std::string& out, const char* name, const ChannelOutcome& outcome, bool push) {
  fmt::format_to(std::back_inserter(out), ",\"{}\":{{\"status\":\"{}\"", name,
                 delivery_status_name(outcome.status));
  if (push) fmt::format_to(std::back_inserter(out), ",\"devices\":{}", outcome.devices);
  if (!outcome.reason.empty()) {
    out += ",\"reason\":";
    out += json::serialize(json::string_view(outcome.reason));
  }
  out += '}';
}

// The reply lists every recipient, ten thousand for a large group: it is written straight into
// text rather than built as a JSON tree first, which costs several times as much.
std::string notice_reply(const NoticeResult& result) {
  std::map<std::string_view, std::int64_t> push_counts, email_counts;
  std::string recipients;
  recipients.reserve(result.recipients.size() * 160);
  for (const auto& r : result.recipients) {
    recipients += recipients.empty() ? "[" : ",";
    fmt::format_to(std::back_inserter(recipients),
                   "{{\"user_id\":\"{}\",\"username\":{},\"display_name\":{}", r.user_id,
                   json::serialize(json::string_view(r.username)),
                   json::serialize(json::string_view(r.display_name)));
    if (r.push) {
      append_channel(recipients, "push", *r.push, true);
      ++push_counts[delivery_status_name(r.push->status)];
    }
    if (r.email) {
      append_channel(recipients, "email", *r.email, false);
      ++email_counts[delivery_status_name(r.email->status)];
    }
    recipients += '}';
  }
  recipients += recipients.empty() ? "[]" : "]";
  auto counts_json = [](const std::map<std::string_view, std::int64_t>& counts) {
    json::object out;
    for (const auto& [status, count] : counts) out[status] = count;
    return out;
  };
  json::object summary;
  if (!result.recipients.empty() && result.recipients.front().push) {
    summary["push"] = counts_json(push_counts);
  }
  if (!result.recipients.empty() && result.recipients.front().email) {
    summary["email"] = counts_json(email_counts);
  }
  const MessageRecord& m = result.message;
  std::string head = json::serialize(
      json::object{{"id", id_string(m.id)},
                   {"kind", kind_name(m.kind)},
                   {"created_at", format_rfc3339(m.created_at)},
                   {"recipient_count", static_cast<std::int64_t>(result.recipients.size())},
                   {"summary", std::move(summary)}});
  head.pop_back();  // the closing brace: the recipients follow
  head += ",\"recipients\":";
  head += recipients;
  head += '}';
  return head;
}

ApiResponse send_notice(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  auto input = notice_input(*body);
  if (!input) return error_response(input.error());
  auto sent = ctx.services().notices.send(*caller, *input);
  if (!sent) return error_response(sent.error());
  ctx.services().deliveries_queued();
  publish_notice(ctx.services(), *sent);
  ApiResponse response;
  response.status = 201;
  response.body = notice_reply(*sent);
  return response;
}

json::object delivery_json(const NoticeService& notices, const DeliveryRecord& d, bool admin) {
  json::object out{
      {"id", id_string(d.id)},
      {"message_id", id_string(d.message_id)},
      {"recipient", json::object{{"id", id_string(d.user_id)}, {"username", d.username}}},
      {"channel", channel_name(d.channel)},
      {"status", delivery_status_name(d.status)},
      {"attempts", d.attempts},
      {"last_error", d.last_error.empty() ? json::value(nullptr) : json::value(d.last_error)},
      {"next_attempt_at",
       d.next_attempt_at ? json::value(format_rfc3339(*d.next_attempt_at)) : json::value(nullptr)},
      {"idempotency_key", notices.idempotency_key(d)},
      {"created_at", format_rfc3339(d.created_at)},
      {"updated_at", format_rfc3339(d.updated_at)}};
  if (d.channel == DeliveryChannel::push) {
    out["device_id"] = d.device_id ? json::value(id_string(*d.device_id)) : json::value(nullptr);
    out["platform"] = d.address.empty() ? json::value(nullptr) : json::value(d.address);
  } else if (admin) {
    out["address"] = d.address;  // others' email addresses are for admins only
  }
  return out;
}

ApiResponse list_deliveries(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto query = ctx.query();
  if (!query) return error_response(query.error());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  auto message_text = (*query)->get("message");
  if (!message_text) return error_response(fail(errc::bad_request, "?message= is required"));
  auto message = parse_id(*message_text);
  if (!message) return error_response(fail(errc::not_found, "no such message"));
  auto& notices = ctx.services().notices;
  auto rows = notices.deliveries(*caller, *message, *page);
  if (!rows) return error_response(rows.error());
  json::array items;
  for (const auto& row : rows->items) {
    items.push_back(delivery_json(notices, row, caller->is_admin()));
  }
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", cursor_json(rows->next_after)}});
}

}  // namespace

void add_notice_routes(Router& router) {
  router.add(Method::post, "/api/v1/notices", Execution::worker, send_notice);
  router.add(Method::get, "/api/v1/deliveries", Execution::io_thread, list_deliveries);
}

}  // namespace herald::api
