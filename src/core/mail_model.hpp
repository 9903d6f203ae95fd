// The plain data types of messages, mailbox entries, folders and bell items.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace herald {

enum class MessageKind { mail, broadcast, notice };
enum class Folder { inbox, sent, drafts, trash };

const char* kind_name(MessageKind kind) noexcept;
std::optional<MessageKind> parse_kind(std::string_view text) noexcept;
const char* folder_name(Folder folder) noexcept;
std::optional<Folder> parse_folder(std::string_view text) noexcept;

// The addresses as the author wrote them, space-separated ("user:3 group:2").
struct AddressLists {
  std::string to;
  std::string cc;
  std::string bcc;  // shown to the author only
};

struct AttachmentRef {
  std::string blob_id;
  std::string name;
  std::string type;
  std::int64_t size = 0;
};

// A message as stored: written once, shared by every copy.
struct MessageRecord {
  Id id = 0;
  MessageKind kind = MessageKind::mail;
  Id author_id = 0;
  Id thread_id = 0;
  std::optional<Id> parent_id;  // the message this replies to or forwards
  std::string subject;
  std::string body;
  std::string body_html;
  std::string snippet;
  AddressLists addresses;
  std::vector<AttachmentRef> attachments;
  bool draft = false;
  TimeMs created_at = 0;
  std::optional<TimeMs> sent_at;
};

// One user's copy of a message.
struct MailboxEntry {
  enum class Role { author, recipient };
  Id user_id = 0;
  Id message_id = 0;
  Role role = Role::recipient;
  Folder folder = Folder::inbox;
  Folder origin = Folder::inbox;  // where /restore puts it back
  bool read = false;
  std::optional<TimeMs> replied_at;
  TimeMs sort_at = 0;
};

// A row of a folder page.
struct FolderItem {
  Id message_id = 0;
  MessageKind kind = MessageKind::mail;
  User author;
  std::string subject;
  std::string snippet;
  bool read = false;
  bool has_attachments = false;
  bool draft = false;
  Folder folder = Folder::inbox;
  TimeMs sort_at = 0;
  std::string to_addresses;  // the message's To, "user:1 group:2" (shown in sent and drafts)
};

// Keyset position in a folder, newest first.
struct FolderCursor {
  TimeMs sort_at = 0;
  Id message_id = 0;
};

struct FolderQuery {
  Folder folder = Folder::inbox;
  std::optional<FolderCursor> after;
  int limit = 50;
  bool unread_only = false;
  std::optional<MessageKind> kind;
};

struct FolderPage {
  std::vector<FolderItem> items;
  std::optional<FolderCursor> next;
};

struct FolderSummary {
  Folder folder = Folder::inbox;
  std::int64_t total = 0;
  std::int64_t unread = 0;
};

// Everything the store writes, in one transaction, when a message is saved or sent.
struct NewMessage {
  MessageRecord message;           // id and thread_id are assigned by the store when 0
  std::vector<Id> recipients;      // users who get an inbox copy (empty for a draft)
  std::string notification_title;  // the bell item each recipient gets
  std::string notification_text;
  // The broadcast this replies to: the store continues the replier's thread with its author or
  // opens one, and fails with gone when the broadcast was retracted.
  std::optional<Id> broadcast_reply;
};

// Fields a draft edit may change; unset ones stay.
struct DraftPatch {
  std::optional<std::string> subject;
  std::optional<std::string> body;
  std::optional<std::string> body_html;
  std::optional<std::string> snippet;
  std::optional<AddressLists> addresses;
  std::optional<std::vector<AttachmentRef>> attachments;
};

enum class EntryAction { read, unread, trash, restore, purge };

struct Notification {
  Id id = 0;
  Id user_id = 0;
  MessageKind kind = MessageKind::mail;
  std::optional<Id> message_id;
  std::string title;
  std::string text;
  std::optional<std::string> url;
  bool read = false;
  TimeMs created_at = 0;
};

}  // namespace herald
