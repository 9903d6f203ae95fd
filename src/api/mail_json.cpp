#include "api/mail_json.hpp"

#include <charconv>

#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "common/crypto.hpp"

namespace herald::api {
namespace {

json::object person(const User& user) {
  return json::object{
      {"id", id_string(user.id)}, {"username", user.username}, {"display_name", user.display_name}};
}

json::array named(const std::vector<NamedAddress>& addresses) {
  json::array out;
  for (const auto& a : addresses)
    out.push_back(json::object{{"address", a.address}, {"name", a.name}});
  return out;
}

json::array attachments_json(const std::vector<AttachmentRef>& attachments) {
  json::array out;
  for (const auto& a : attachments) {
    out.push_back(
        json::object{{"id", a.blob_id}, {"name", a.name}, {"type", a.type}, {"size", a.size}});
  }
  return out;
}

json::value time_or_null(const std::optional<TimeMs>& t) {
  return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

json::value id_or_null(const std::optional<Id>& id) {
  return id ? json::value(id_string(*id)) : json::value(nullptr);
}

json::array address_list(const std::string& joined) {
  json::array out;
  for (const auto& a : split_addresses(joined)) out.push_back(json::value(a));
  return out;
}

// The fields every shape of a message shares: what was written, and when.
json::object content_json(const MessageRecord& m) {
  return json::object{{"id", id_string(m.id)},
                      {"kind", kind_name(m.kind)},
                      {"thread_id", id_string(m.thread_id)},
                      {"parent_id", id_or_null(m.parent_id)},
                      {"subject", m.subject},
                      {"body", m.body},
                      {"body_html", m.body_html},
                      {"attachments", attachments_json(m.attachments)},
                      {"draft", m.draft},
                      {"created_at", format_rfc3339(m.created_at)},
                      {"sent_at", time_or_null(m.sent_at)}};
}

}  // namespace

json::object to_json(const FolderItem& item) {
  return json::object{{"id", id_string(item.message_id)},
                      {"kind", kind_name(item.kind)},
                      {"from", person(item.author)},
                      {"subject", item.subject},
                      {"snippet", item.snippet},
                      {"read", item.read},
                      {"has_attachments", item.has_attachments},
                      {"draft", item.draft},
                      {"folder", folder_name(item.folder)},
                      {"date", format_rfc3339(item.sort_at)}};
}

json::object to_json(const MessageView& view) {
  json::object out = content_json(view.message);
  out["from"] = person(view.author);
  out["to"] = named(view.to);
  out["cc"] = named(view.cc);
  if (!view.bcc.empty()) out["bcc"] = named(view.bcc);
  // The caller's copy: the received one when there are two (a mail to oneself).
  const MailboxEntry& entry = view.entries.back();
  out["folder"] = folder_name(entry.folder);
  out["read"] = entry.read;
  out["replied"] = entry.replied_at.has_value();
  json::array reply_all;
  for (const auto& a : view.reply_all) reply_all.push_back(json::value(a));
  out["reply_all"] = std::move(reply_all);
  json::array thread;
  for (const auto& t : view.thread) {
    thread.push_back(json::object{{"id", id_string(t.id)},
                                  {"from", id_string(t.author_id)},
                                  {"subject", t.subject},
                                  {"snippet", t.snippet},
                                  {"sent_at", time_or_null(t.sent_at)},
                                  {"draft", t.draft}});
  }
  out["thread"] = std::move(thread);
  return out;
}

json::object draft_json(const MessageRecord& m) {
  json::object out = content_json(m);
  out["to"] = address_list(m.addresses.to);
  out["cc"] = address_list(m.addresses.cc);
  out["bcc"] = address_list(m.addresses.bcc);
  return out;
}

json::object to_json(const SendResult& result) {
  json::array addresses;
  for (const auto& outcome : result.outcomes) {
    json::object o{{"address", outcome.address},
                   {"status", outcome.status},
                   {"recipients", outcome.recipients}};
    if (!outcome.reason.empty()) o["reason"] = outcome.reason;
    addresses.push_back(std::move(o));
  }
  return json::object{{"id", id_string(result.message.id)},
                      {"message", draft_json(result.message)},
                      {"recipient_count", result.recipient_count},
                      {"addresses", std::move(addresses)}};
}

json::object to_json(const Notification& n) {
  return json::object{{"id", id_string(n.id)},
                      {"kind", kind_name(n.kind)},
                      {"message_id", id_or_null(n.message_id)},
                      {"title", n.title},
                      {"text", n.text},
                      {"url", n.url ? json::value(*n.url) : json::value(nullptr)},
                      {"read", n.read},
                      {"created_at", format_rfc3339(n.created_at)}};
}

std::string encode_folder_cursor(const FolderCursor& cursor) {
  return base64url_encode("f1:" + std::to_string(cursor.sort_at) + ":" +
                          std::to_string(cursor.message_id));
}

std::optional<FolderCursor> decode_folder_cursor(std::string_view text) {
  std::string raw;
  if (!base64url_decode(text, raw) || raw.rfind("f1:", 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(raw).substr(3);
  auto colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  FolderCursor cursor;
  auto [end1, ec1] = std::from_chars(rest.data(), rest.data() + colon, cursor.sort_at);
  auto id = parse_id(rest.substr(colon + 1));
  if (ec1 != std::errc() || end1 != rest.data() + colon || !id) return std::nullopt;
  cursor.message_id = *id;
  return cursor;
}

}  // namespace herald::api
