// /messages: compose, read, drafts, flags, trash, restore, purge, bulk actions.
#include <algorithm>
#include <memory>
#include <mutex>

#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "api/live_events.hpp"
#include "api/mail_json.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/mail_service.hpp"

namespace herald::api {
namespace {

Error no_such_message() {
  return fail(errc::not_found, "no such message");
}

Result<std::optional<Id>> optional_id(const json::object& body, std::string_view key) {
  auto text = optional_string(body, key);
  if (!text) return text.error();
  if (!*text) return std::optional<Id>();
  auto id = parse_id(**text);
  if (!id) return no_such_message();
  return std::optional<Id>(*id);
}

// Reads the fields of a compose or draft edit; `present` receives the names that were given.
Result<ComposeInput> compose_input(const json::object& body, std::vector<std::string>& present) {
  ComposeInput input;
  for (const auto& field : body) present.emplace_back(field.key());
  for (auto [key, target] : {std::pair{"to", &input.to},
                             {"cc", &input.cc},
                             {"bcc", &input.bcc},
                             {"attachments", &input.attachments}}) {
    auto list = string_list(body, key);
    if (!list) return list.error();
    *target = std::move(*list);
  }
  auto subject = optional_string(body, "subject");
  if (!subject) return subject.error();
  input.subject = subject->value_or("");
  auto text = optional_string(body, "body");
  if (!text) return text.error();
  input.body = text->value_or("");
  auto format = optional_string(body, "format");
  if (!format) return format.error();
  if (*format && **format != "markdown" && **format != "text") {
    return fail(errc::bad_request, "format must be 'markdown' or 'text'");
  }
  input.format = *format && **format == "text" ? BodyFormat::text : BodyFormat::markdown;
  auto draft = optional_bool(body, "draft");
  if (!draft) return draft.error();
  input.draft = draft->value_or(false);
  auto reply_to = optional_id(body, "reply_to");
  if (!reply_to) return reply_to.error();
  input.reply_to = *reply_to;
  auto forward_of = optional_id(body, "forward_of");
  if (!forward_of) return forward_of.error();
  input.forward_of = *forward_of;
  return input;
}

// The compose form's preview: the body rendered exactly as a send would render it.
ApiResponse preview_body(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"body", "format"}); !fields) {
    return error_response(fields.error());
  }
  std::vector<std::string> present;
  auto input = compose_input(*body, present);
  if (!input) return error_response(input.error());
  auto html = ctx.services().mail.preview(input->body, input->format);
  if (!html) return error_response(html.error());
  return json_response(200, json::object{{"html", std::move(*html)}});
}

// A send whose checks are cheap (a few users, a short body, few attachments) is checked on
// the I/O thread that read it: a hop to a worker and back costs more than its checks do. One
// that may take long (a group or everyone to expand, many addresses, a large body to parse and
// render) is checked on a worker, so that it never holds the other connections of its thread.
constexpr std::size_t kQuickSendBodyBytes = 16 * 1024;
constexpr std::size_t kQuickSendAddresses = 8;

bool is_quick_send(const ComposeInput& input) {
  auto is_user = [](const std::string& address) { return address.starts_with("user:"); };
  std::size_t addresses = 0;
  for (const auto* list : {&input.to, &input.cc, &input.bcc}) {
    if (!std::all_of(list->begin(), list->end(), is_user)) return false;
    addresses += list->size();
  }
  return addresses <= kQuickSendAddresses && input.attachments.size() <= kQuickSendAddresses;
}

// Hands the checked send to the store's writer and returns; the reply is built once the message
// is durable (see Router::add_async), and the recipients are told once their copies can be read.
void send_message(Services& services, const Principal& caller, const ComposeInput& input,
                  const Respond& respond) {
  // The recipients are told by whichever comes second: the reply being built on this
  // connection's thread (the usual case: the copies were in the message's own commit, and the
  // events go out before the 201, with no other thread to wake), or their copies being written
  // (a large send: posted).
  struct Publication {
    std::mutex mutex;
    bool replied = false;
    bool delivered = false;
    std::shared_ptr<const SendResult> result;
  };
  auto publication = std::make_shared<Publication>();
  services.mail.compose_async(
      caller, input,
      [&services, respond, publication](Result<SendResult> sent) {
        if (!sent) {
          respond([error = sent.error()] { return error_response(error); });
          return;
        }
        auto result = std::make_shared<const SendResult>(std::move(*sent));
        {
          std::lock_guard lock(publication->mutex);
          publication->result = result;
        }
        respond([&services, result, publication] {
          bool publish = false;
          {
            std::lock_guard lock(publication->mutex);
            publication->replied = true;
            publish = publication->delivered;
          }
          if (publish) publish_new_mail(services, *result);
          return json_response(201, to_json(*result));
        });
      },
      [&services, publication] {
        std::shared_ptr<const SendResult> result;
        {
          std::lock_guard lock(publication->mutex);
          publication->delivered = true;
          if (!publication->replied) return;
          result = publication->result;
        }
        services.post([&services, result] { publish_new_mail(services, *result); });
      });
}

// Parses and checks a send; `offload` set: on the I/O thread, which hands over what is long.
void parse_and_send(Services& services, const Principal& caller, std::string_view text,
                    const Respond& respond, const Offload* offload) {
  auto refuse = [&](Error error) {
    respond([error = std::move(error)] { return error_response(error); });
  };
  auto body = parse_object(text);
  if (!body) return refuse(body.error());
  if (auto fields = allow_only(*body, {"to", "cc", "bcc", "subject", "body", "format",
                                       "attachments", "draft", "reply_to", "forward_of"});
      !fields) {
    return refuse(fields.error());
  }
  std::vector<std::string> present;
  auto input = compose_input(*body, present);
  if (!input) return refuse(input.error());
  if (offload && !is_quick_send(*input)) {
    return (*offload)([&services, caller, input = std::move(*input), respond] {
      send_message(services, caller, input, respond);
    });
  }
  send_message(services, caller, *input, respond);
}

void create_message(RequestContext& ctx, Respond respond, const Offload& offload) {
  auto caller = ctx.principal();
  if (!caller) {
    return respond([error = caller.error()] { return error_response(error); });
  }
  Services& services = ctx.services();
  if (ctx.request().body.size() > kQuickSendBodyBytes) {
    return offload([&services, caller = *caller, text = ctx.request().body, respond] {
      parse_and_send(services, caller, text, respond, nullptr);
    });
  }
  parse_and_send(services, *caller, ctx.request().body, respond, &offload);
}

ApiResponse get_message(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_message());
  auto view = ctx.services().mail.view(*caller, *id);
  if (!view) return error_response(view.error());
  return json_response(200, to_json(*view));
}

ApiResponse edit_draft(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_message());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields =
          allow_only(*body, {"to", "cc", "bcc", "subject", "body", "format", "attachments"});
      !fields) {
    return error_response(fields.error());
  }
  std::vector<std::string> present;
  auto input = compose_input(*body, present);
  if (!input) return error_response(input.error());
  auto draft = ctx.services().mail.update_draft(*caller, *id, *input, present);
  if (!draft) return error_response(draft.error());
  return json_response(200, draft_json(*draft));
}

ApiResponse send_draft(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_message());
  auto sent = ctx.services().mail.send_draft(*caller, *id);
  if (!sent) return error_response(sent.error());
  publish_new_mail(ctx.services(), *sent);
  return json_response(200, to_json(*sent));
}

template <EntryAction kAction>
ApiResponse act_on_one(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto id = parse_id(ctx.param(0));
  if (!id) return error_response(no_such_message());
  auto done = ctx.services().mail.act(*caller, {*id}, kAction);
  if (!done) return error_response(done.error());
  publish_counts(ctx.services(), caller->user_id);
  return no_content();
}

ApiResponse act_on_many(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  if (auto fields = allow_only(*body, {"ids", "action"}); !fields) {
    return error_response(fields.error());
  }
  auto ids = string_list(*body, "ids");
  if (!ids) return error_response(ids.error());
  auto action_name = required_string(*body, "action");
  if (!action_name) return error_response(action_name.error());
  static const std::pair<const char*, EntryAction> kActions[] = {{"read", EntryAction::read},
                                                                 {"unread", EntryAction::unread},
                                                                 {"trash", EntryAction::trash},
                                                                 {"restore", EntryAction::restore},
                                                                 {"delete", EntryAction::purge}};
  std::optional<EntryAction> action;
  for (const auto& [name, value] : kActions) {
    if (*action_name == name) action = value;
  }
  if (!action) {
    return error_response(
        fail(errc::bad_request, "action must be read, unread, trash, restore or delete"));
  }
  std::vector<Id> messages;
  for (const auto& text : *ids) {
    auto id = parse_id(text);
    if (!id) return error_response(no_such_message());
    messages.push_back(*id);
  }
  auto done = ctx.services().mail.act(*caller, messages, *action);
  if (!done) return error_response(done.error());
  publish_counts(ctx.services(), caller->user_id);
  return no_content();
}

}  // namespace

void add_message_routes(Router& router) {
  router.add(Method::post, "/api/v1/messages/actions", Execution::worker, act_on_many);
  router.add_async(Method::post, "/api/v1/messages", Execution::io_thread, create_message);
  router.add(Method::post, "/api/v1/preview", Execution::worker, preview_body);
  router.add(Method::get, "/api/v1/messages/{id}", Execution::io_thread, get_message);
  router.add(Method::patch, "/api/v1/messages/{id}", Execution::worker, edit_draft);
  router.add(Method::del, "/api/v1/messages/{id}", Execution::worker,
             act_on_one<EntryAction::purge>);
  router.add(Method::post, "/api/v1/messages/{id}/send", Execution::worker, send_draft);
  router.add(Method::post, "/api/v1/messages/{id}/read", Execution::worker,
             act_on_one<EntryAction::read>);
  router.add(Method::post, "/api/v1/messages/{id}/unread", Execution::worker,
             act_on_one<EntryAction::unread>);
  router.add(Method::post, "/api/v1/messages/{id}/trash", Execution::worker,
             act_on_one<EntryAction::trash>);
  router.add(Method::post, "/api/v1/messages/{id}/restore", Execution::worker,
             act_on_one<EntryAction::restore>);
}

}  // namespace herald::api
