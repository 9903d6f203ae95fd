#include "core/notice_service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/utf8.hpp"
#include "core/address_expansion.hpp"
#include "core/mail_service.hpp"

namespace herald {
namespace {

constexpr std::size_t kMaxSubjectBytes = 998;
constexpr std::size_t kMaxPushTextBytes = 1000;  // leaves room in every platform's 4 KiB payload
constexpr std::size_t kMaxPushTitleBytes = 200;
constexpr std::size_t kMaxUrlBytes = 2048;

bool has_control(std::string_view text, bool allow_newlines) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
    return u < 0x20 || u == 0x7F;
  });
}

Result<void> check_notice_text(std::string_view field, std::string_view text, std::size_t max,
                               bool allow_newlines) {
  if (text.empty()) return fail(errc::bad_request, fmt::format("{} is empty", field));
  if (text.size() > max) {
    return fail(errc::bad_request, fmt::format("{} is longer than {} bytes", field, max));
  }
  if (!is_valid_utf8(text)) return fail(errc::bad_request, fmt::format("{} must be UTF-8", field));
  if (has_control(text, allow_newlines)) {
    return fail(errc::bad_request, fmt::format("{} holds control characters", field));
  }
  return {};
}

Result<void> check_input(const NoticeInput& input, std::size_t max_body_bytes) {
  if (!input.push && !input.email) {
    return fail(errc::bad_request, "a notice needs a push part, an email part, or both");
  }
  if (input.to.empty()) return fail(errc::bad_request, "the notice has no recipient");
  if (input.push) {
    if (auto ok = check_notice_text("push.text", input.push->text, kMaxPushTextBytes, true); !ok) {
      return ok;
    }
    if (input.push->title) {
      if (auto ok = check_notice_text("push.title", *input.push->title, kMaxPushTitleBytes, false);
          !ok) {
        return ok;
      }
    }
    if (input.push->url) {
      const std::string& url = *input.push->url;
      bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
      if (!web || url.size() > kMaxUrlBytes || has_control(url, false) ||
          url.find(' ') != std::string::npos) {
        return fail(
            errc::bad_request,
            fmt::format("push.url must be an http(s) URL of at most {} bytes", kMaxUrlBytes));
      }
    }
  }
  if (input.email) {
    if (auto ok = check_notice_text("email.subject", input.email->subject, kMaxSubjectBytes, false);
        !ok) {
      return ok;
    }
    if (auto ok = check_notice_text("email.body", input.email->body, max_body_bytes, true); !ok) {
      if (input.email->body.size() > max_body_bytes) {
        return fail(errc::too_large, ok.error().message);
      }
      return ok;
    }
  }
  return {};
}

}  // namespace

NoticeService::NoticeService(Store& store, const Clock& clock, NoticeOptions options)
    : store_(store), clock_(clock), options_(options) {}

Result<std::vector<NoticeRecipient>> NoticeService::expand(const Principal& caller,
                                                           const std::vector<std::string>& to) {
  auto expansion = expand_addresses(store_, caller, to, true, "notices");
  if (!expansion) return expansion.error();
  const std::vector<Id>& whole_users = expansion->users;  // every device of theirs
  std::vector<Id> ids = whole_users;
  for (const auto& [owner, devices] : expansion->devices) {
    if (!std::binary_search(whole_users.begin(), whole_users.end(), owner)) ids.push_back(owner);
  }
  std::sort(ids.begin(), ids.end());
  std::vector<NoticeRecipient> recipients;
  recipients.reserve(ids.size());
  for (auto& contact : store_.contacts_of(ids)) {
    NoticeRecipient recipient{std::move(contact), std::nullopt};
    Id owner = recipient.contact.user_id;
    if (!std::binary_search(whole_users.begin(), whole_users.end(), owner)) {
      recipient.only_devices = expansion->devices[owner];
    }
    recipients.push_back(std::move(recipient));
  }
  return recipients;
}

Result<NoticeResult> NoticeService::send(const Principal& caller, const NoticeInput& input) {
  if (caller.role == Role::user) {
    return fail(errc::forbidden, "only admins and senders may send notices");
  }
  if (auto ok = check_input(input, options_.max_body_bytes); !ok) return ok.error();
  auto recipients = expand(caller, input.to);
  if (!recipients) return recipients.error();
  if (recipients->empty()) return fail(errc::bad_request, "no one would receive the notice");

  auto author = store_.find_user(caller.user_id);
  std::string author_name = author ? author->display_name : caller.username;
  std::string default_title = fmt::format("Notice from {}", author_name);

  NewNotice notice;
  MessageRecord& m = notice.message;
  m.kind = MessageKind::notice;
  m.author_id = caller.user_id;
  m.addresses.to = join_addresses(input.to);
  m.created_at = clock_.now_ms();
  m.sent_at = m.created_at;
  if (input.email) {
    m.subject = input.email->subject;
    m.body = input.email->body;
    m.body_html = render_body_html(m.body, input.email->format);
  } else {
    m.subject = input.push->title.value_or(default_title);
    m.body = input.push->text;
    m.body_html = render_body_html(m.body, BodyFormat::text);
  }
  m.snippet = make_snippet(m.body);
  if (input.push) {
    notice.push =
        PushContent{input.push->title.value_or(default_title), input.push->text, input.push->url};
  }
  notice.notification_title = input.push && input.push->title
                                  ? *input.push->title
                                  : (input.email ? input.email->subject : default_title);
  notice.notification_text = input.push ? input.push->text : m.snippet;
  notice.notification_url = input.push ? input.push->url : std::nullopt;

  NoticePlan plan =
      plan_notice(*recipients, input.push.has_value(), input.email.has_value(), options_.channels);
  notice.deliveries = std::move(plan.deliveries);
  notice.recipients.reserve(recipients->size());
  for (const auto& recipient : *recipients) notice.recipients.push_back(recipient.contact.user_id);

  auto saved = store_.save_notice(notice);
  if (!saved) return saved.error();
  return NoticeResult{*saved,
                      std::move(plan.outcomes),
                      std::move(notice.recipients),
                      std::move(notice.notification_title),
                      std::move(notice.notification_text),
                      std::move(notice.notification_url)};
}

Result<Page<DeliveryRecord>> NoticeService::deliveries(const Principal& caller, Id message,
                                                       const PageRequest& page) {
  auto found = store_.find_message(message);
  if (!found || (found->author_id != caller.user_id && !caller.is_admin())) {
    return fail(errc::not_found, "no such message");
  }
  return store_.list_deliveries(message, page);
}

std::string NoticeService::idempotency_key(const DeliveryRecord& delivery) const {
  if (delivery.channel == DeliveryChannel::email) {
    return fmt::format(
        "<{}>", email_message_id(delivery.id, delivery.message_id, options_.message_id_host));
  }
  return push_id(delivery.id);
}

}  // namespace herald
