#include "core/mail_service.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "core/address.hpp"
#include "core/blob_service.hpp"
#include "core/communication_policy.hpp"
#include "core/validation.hpp"

namespace herald {
namespace {

Error no_such_message() {
  return fail(errc::not_found, "no such message");
}

Error broadcast_gone() {
  return fail(errc::gone, "the broadcast was retracted: it takes no more replies");
}

// A reply to a broadcast goes to its author alone; naming anyone else is a mistake to report,
// not to correct silently.
Result<AddressLists> broadcast_reply_addresses(const Principal& caller,
                                               const MessageRecord& broadcast,
                                               const ComposeInput& input) {
  if (broadcast.author_id == caller.user_id) {
    return fail(errc::bad_request, "reply to a recipient's reply, not to your own broadcast");
  }
  std::string author = "user:" + std::to_string(broadcast.author_id);
  bool only_author = input.cc.empty() && input.bcc.empty() &&
                     std::all_of(input.to.begin(), input.to.end(),
                                 [&](const std::string& address) { return address == author; });
  if (!only_author) {
    return fail(errc::bad_request, "a reply to a broadcast goes to its author alone");
  }
  return AddressLists{author, "", ""};
}

std::string prefixed_subject(const std::string& prefix, const std::string& subject) {
  if (subject.rfind(prefix, 0) == 0) return subject;
  return prefix + subject;
}

}  // namespace

std::string join_addresses(const std::vector<std::string>& addresses) {
  std::string out;
  for (const auto& address : addresses) {
    if (!out.empty()) out.push_back(' ');
    out += address;
  }
  return out;
}

std::vector<std::string> split_addresses(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    auto space = joined.find(' ', start);
    if (space == std::string::npos) space = joined.size();
    if (space > start) out.push_back(joined.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

MailService::MailService(Store& store, BlobService& blobs, const Clock& clock, MailOptions options)
    : store_(store), blobs_(blobs), clock_(clock), options_(options) {}

Result<void> MailService::check_content(const std::string& subject, const std::string& body) {
  if (auto bad = check_subject(subject, true)) return *bad;
  if (auto bad = check_body(body, options_.max_body_bytes, true)) return *bad;
  return {};
}

Result<std::string> MailService::preview(std::string_view body, BodyFormat format) const {
  if (auto bad = check_body(body, options_.max_body_bytes, true)) return *bad;
  return render_body_html(body, format);
}

Result<MailService::Expansion> MailService::expand(const Principal& caller,
                                                   const AddressLists& lists,
                                                   std::optional<Id> reply_author) {
  CommunicationPolicy policy(store_, caller);
  Expansion out;
  std::set<std::string> seen;
  std::vector<Id> users;
  bool author_addressed = false;
  std::vector<std::pair<std::size_t, std::vector<Id>>> group_members;  // outcome index, members
  for (const std::string* field : {&lists.to, &lists.cc, &lists.bcc}) {
    for (const auto& text : split_addresses(*field)) {
      if (!seen.insert(text).second) continue;
      auto address = parse_address(text);
      if (!address) return fail(errc::bad_request, fmt::format("'{}' is not an address", text));
      AddressOutcome outcome{text, "delivered", 0, ""};
      switch (address->type) {
        case Address::Type::user: {
          if (!store_.find_user(address->id)) {
            return fail(errc::bad_request, fmt::format("unknown recipient {}", text));
          }
          bool replying = reply_author && *reply_author == address->id;
          if (!replying && !policy.may_address_user(address->id)) {
            return fail(errc::forbidden, fmt::format("you may not write to {}", text));
          }
          if (address->id == caller.user_id) author_addressed = true;
          users.push_back(address->id);
          outcome.recipients = 1;
          break;
        }
        case Address::Type::group: {
          if (!store_.find_group(address->id)) {
            return fail(errc::bad_request, fmt::format("unknown recipient {}", text));
          }
          if (!policy.may_address_group(address->id)) {
            return fail(errc::forbidden, fmt::format("you may not write to {}", text));
          }
          group_members.emplace_back(out.outcomes.size(), store_.group_member_ids(address->id));
          break;
        }
        case Address::Type::all: {
          if (!caller.is_admin()) return fail(errc::forbidden, "only admins may write to all");
          group_members.emplace_back(out.outcomes.size(), store_.all_user_ids());
          break;
        }
        case Address::Type::device:
          return fail(errc::bad_request,
                      fmt::format("'{}': device addresses are for notices, not mail", text));
      }
      out.outcomes.push_back(std::move(outcome));
    }
  }
  // A group holding the author sends them no copy, unless they addressed themselves directly.
  for (auto& [index, members] : group_members) {
    if (!author_addressed) std::erase(members, caller.user_id);
    out.outcomes[index].recipients = static_cast<std::int64_t>(members.size());
    if (members.empty()) {
      out.outcomes[index].status = "empty";
      out.outcomes[index].reason = "no one but the author is in it";
    }
    users.insert(users.end(), members.begin(), members.end());
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  out.users = std::move(users);
  return out;
}

Result<std::vector<AttachmentRef>> MailService::check_attachments(
    const Principal& caller, const std::vector<std::string>& ids) {
  if (ids.size() > options_.max_attachments) {
    return fail(errc::bad_request, fmt::format("at most {} attachments", options_.max_attachments));
  }
  std::vector<AttachmentRef> out;
  for (const auto& id : ids) {
    auto blob = store_.find_blob(id);
    if (!blob || blob->uploader_id != caller.user_id) {
      return fail(errc::bad_request, fmt::format("attachment '{}' is not one of your uploads", id));
    }
    out.push_back({blob->id, blob->name, blob->type, blob->size});
  }
  return out;
}

Result<MailService::PlannedSend> MailService::plan_compose(const Principal& caller,
                                                           const ComposeInput& input) {
  if (input.reply_to && input.forward_of) {
    return fail(errc::bad_request, "a message replies or forwards, not both");
  }
  MessageRecord m;
  m.kind = MessageKind::mail;
  m.author_id = caller.user_id;
  m.subject = input.subject;
  m.body = input.body;
  m.addresses = {join_addresses(input.to), join_addresses(input.cc), join_addresses(input.bcc)};
  m.draft = input.draft;
  m.created_at = clock_.now_ms();

  std::vector<AttachmentRef> carried;
  std::optional<Id> broadcast_reply;
  if (input.reply_to || input.forward_of) {
    Id parent_id = input.reply_to ? *input.reply_to : *input.forward_of;
    if (store_.entries_of(caller.user_id, parent_id).empty()) {
      if (store_.broadcast_retracted(parent_id)) return broadcast_gone();
      return no_such_message();
    }
    auto parent = store_.find_message(parent_id);
    if (!parent || parent->draft) return no_such_message();
    m.parent_id = parent_id;
    if (input.reply_to && parent->kind == MessageKind::broadcast) {
      auto addressed = broadcast_reply_addresses(caller, *parent, input);
      if (!addressed) return addressed.error();
      m.addresses = *addressed;
      if (m.subject.empty()) m.subject = prefixed_subject("Re: ", parent->subject);
      broadcast_reply = parent_id;  // the store picks the thread
    } else if (input.reply_to) {
      m.thread_id = parent->thread_id;
      if (m.subject.empty()) m.subject = prefixed_subject("Re: ", parent->subject);
      if (m.addresses.to.empty() && m.addresses.cc.empty() && m.addresses.bcc.empty()) {
        m.addresses.to = "user:" + std::to_string(parent->author_id);
      }
    } else {
      if (m.subject.empty()) m.subject = prefixed_subject("Fwd: ", parent->subject);
      carried = parent->attachments;  // a forward carries the attachments
    }
  }
  if (auto content = check_content(m.subject, m.body); !content) return content.error();
  auto attachments = check_attachments(caller, input.attachments);
  if (!attachments) return attachments.error();
  m.attachments = carried;
  m.attachments.insert(m.attachments.end(), attachments->begin(), attachments->end());
  m.body_html = render_body_html(m.body, input.format);
  m.snippet = make_snippet(m.body);

  NewMessage message{m, {}, "", "", broadcast_reply};
  if (m.draft && broadcast_reply) {
    return fail(errc::bad_request, "a reply to a broadcast is sent, not kept as a draft");
  }
  if (m.draft) return PlannedSend{std::move(message), SendResult{}};
  return plan_delivery(caller, std::move(message));
}

Result<MailService::PlannedSend> MailService::plan_delivery(const Principal& caller,
                                                            NewMessage message) {
  std::optional<Id> reply_author;
  if (message.message.parent_id) {
    if (auto parent = store_.find_message(*message.message.parent_id)) {
      reply_author = parent->author_id;
    }
  }
  auto expansion = expand(caller, message.message.addresses, reply_author);
  if (!expansion) return expansion.error();
  if (expansion->outcomes.empty()) return fail(errc::bad_request, "the message has no recipient");
  if (expansion->users.empty()) return fail(errc::bad_request, "no one would receive the message");
  auto author = store_.find_user(caller.user_id);
  message.recipients = expansion->users;
  message.notification_title =
      fmt::format("New mail from {}", author ? author->display_name : caller.username);
  message.notification_text =
      message.message.subject.empty() ? "(no subject)" : message.message.subject;
  message.message.draft = false;
  message.message.sent_at = clock_.now_ms();
  auto recipient_count = static_cast<std::int64_t>(expansion->users.size());
  SendResult result{{},
                    std::move(expansion->outcomes),
                    recipient_count,
                    std::move(expansion->users),
                    caller.username,
                    author ? author->display_name : caller.username,
                    message.notification_title,
                    message.notification_text};
  return PlannedSend{std::move(message), std::move(result)};
}

void MailService::compose_async(const Principal& caller, const ComposeInput& input,
                                std::function<void(Result<SendResult>)> done,
                                std::function<void()> delivered) {
  auto plan = plan_compose(caller, input);
  if (!plan) return done(plan.error());
  auto result = std::make_shared<SendResult>(std::move(plan->result));
  store_.save_message_async(
      std::move(plan->message),
      [result, done = std::move(done)](Result<MessageRecord>&& saved) {
        if (saved.ok()) {
          result->message = std::move(*saved);
          done(std::move(*result));
        } else {
          done(saved.error());
        }
      },
      std::move(delivered));
}

Result<MessageRecord> MailService::update_draft(const Principal& caller, Id message,
                                                const ComposeInput& input,
                                                const std::vector<std::string>& fields) {
  auto has = [&](const char* name) {
    return std::find(fields.begin(), fields.end(), name) != fields.end();
  };
  auto current = store_.find_message(message);
  if (!current || current->author_id != caller.user_id || !current->draft) {
    return fail(errc::not_found, "no such draft");
  }
  DraftPatch patch;
  std::string subject = has("subject") ? input.subject : current->subject;
  std::string body = has("body") ? input.body : current->body;
  if (auto content = check_content(subject, body); !content) return content.error();
  if (has("subject")) patch.subject = subject;
  if (has("body")) {
    patch.body = body;
    patch.body_html = render_body_html(body, input.format);
    patch.snippet = make_snippet(body);
  }
  if (has("to") || has("cc") || has("bcc")) {
    AddressLists lists = current->addresses;
    if (has("to")) lists.to = join_addresses(input.to);
    if (has("cc")) lists.cc = join_addresses(input.cc);
    if (has("bcc")) lists.bcc = join_addresses(input.bcc);
    for (const auto* field : {&lists.to, &lists.cc, &lists.bcc}) {
      for (const auto& text : split_addresses(*field)) {
        if (!parse_address(text)) {
          return fail(errc::bad_request, fmt::format("'{}' is not an address", text));
        }
      }
    }
    patch.addresses = lists;
  }
  if (has("attachments")) {
    auto attachments = check_attachments(caller, input.attachments);
    if (!attachments) return attachments.error();
    patch.attachments = *attachments;
  }
  return store_.update_draft(caller.user_id, message, patch);
}

Result<SendResult> MailService::send_draft(const Principal& caller, Id message) {
  auto draft = store_.find_message(message);
  if (!draft || draft->author_id != caller.user_id || !draft->draft) {
    return fail(errc::not_found, "no such draft");
  }
  auto plan = plan_delivery(caller, NewMessage{*draft, {}, "", ""});
  if (!plan) return plan.error();
  auto saved = store_.send_draft(caller.user_id, message, plan->message);
  if (!saved) return saved.error();
  plan->result.message = std::move(*saved);
  return std::move(plan->result);
}

std::vector<NamedAddress> MailService::describe(const std::string& addresses) {
  std::vector<NamedAddress> out;
  for (const auto& text : split_addresses(addresses)) {
    NamedAddress named{text, text};
    if (auto address = parse_address(text)) {
      if (address->type == Address::Type::user) {
        if (auto user = store_.find_user(address->id)) named.name = user->display_name;
      } else if (address->type == Address::Type::group) {
        if (auto group = store_.find_group(address->id)) named.name = group->name;
      } else if (address->type == Address::Type::all) {
        named.name = "Everyone";
      }
    }
    out.push_back(std::move(named));
  }
  return out;
}

Result<MessageView> MailService::view(const Principal& caller, Id message) {
  auto entries = store_.entries_of(caller.user_id, message);
  if (entries.empty()) return no_such_message();
  auto record = store_.find_message(message);
  if (!record) return no_such_message();
  MessageView view;
  view.message = *record;
  view.entries = std::move(entries);
  view.author = store_.find_user(record->author_id).value_or(User{record->author_id});
  bool is_author = record->author_id == caller.user_id;
  if (!is_author) view.message.addresses.bcc.clear();  // BCC is the author's alone
  view.to = describe(view.message.addresses.to);
  view.cc = describe(view.message.addresses.cc);
  view.bcc = describe(view.message.addresses.bcc);
  view.thread = store_.thread_for(caller.user_id, record->thread_id);
  if (!is_author) {
    for (auto& m : view.thread) {
      if (m.author_id != caller.user_id) m.addresses.bcc.clear();
    }
  }
  std::string self = "user:" + std::to_string(caller.user_id);
  std::vector<std::string> reply_all;
  auto add = [&](const std::string& address) {
    if (address != self &&
        std::find(reply_all.begin(), reply_all.end(), address) == reply_all.end()) {
      reply_all.push_back(address);
    }
  };
  add("user:" + std::to_string(record->author_id));
  if (record->kind != MessageKind::broadcast) {  // a broadcast's replies reach its author alone
    for (const auto& a : split_addresses(record->addresses.to)) add(a);
    for (const auto& a : split_addresses(record->addresses.cc)) add(a);
  }
  view.reply_all = std::move(reply_all);
  return view;
}

Result<void> MailService::act(const Principal& caller, const std::vector<Id>& messages,
                              EntryAction action) {
  if (messages.empty()) return fail(errc::bad_request, "no message given");
  if (messages.size() > 1000) return fail(errc::bad_request, "at most 1000 messages at once");
  // A checkbox list may name a message twice; act on it once.
  std::vector<Id> unique = messages;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  auto freed = store_.apply_to_entries(caller.user_id, unique, action);
  if (!freed) return freed.error();
  blobs_.remove_files(*freed);
  return {};
}

Result<FolderPage> MailService::folder(const Principal& caller, const FolderQuery& query) {
  return store_.folder_page(caller.user_id, query);
}

std::vector<FolderSummary> MailService::folders(const Principal& caller) {
  return store_.folder_summaries(caller.user_id);
}

}  // namespace herald
