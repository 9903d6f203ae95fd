// Internal mail: compose and send to users and groups (To, CC, BCC), drafts, replies and
// forwards in threads, folders, read state, trash, restore and purge. Every object is checked
// against the caller: a message the caller holds no copy of is not_found.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/mail_model.hpp"
#include "core/markdown.hpp"
#include "store/store.hpp"

namespace herald {

class BlobService;

struct MailOptions {
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_attachments = 100;
};

struct ComposeInput {
  std::vector<std::string> to, cc, bcc;
  std::string subject;
  std::string body;
  BodyFormat format = BodyFormat::markdown;
  std::vector<std::string> attachments;  // blob ids the caller uploaded
  bool draft = false;
  std::optional<Id> reply_to;
  std::optional<Id> forward_of;
};

// What happened to one address of a send.
struct AddressOutcome {
  std::string address;
  std::string status;  // "delivered", or "empty" when it reached nobody
  std::int64_t recipients = 0;
  std::string reason;
};

struct SendResult {
  MessageRecord message;
  std::vector<AddressOutcome> outcomes;
  std::int64_t recipient_count = 0;
  std::vector<Id> recipients;  // who got a copy, for the live events that follow
  std::string author_username;
  std::string author_name;
  std::string notification_title;
  std::string notification_text;
};

struct NamedAddress {
  std::string address;
  std::string name;  // display name of the user, or the group's name
};

// A message as one user sees it.
struct MessageView {
  MessageRecord message;
  User author;
  std::vector<MailboxEntry> entries;      // the caller's copies
  std::vector<MessageRecord> thread;      // the thread's messages the caller holds, oldest first
  std::vector<NamedAddress> to, cc, bcc;  // bcc only for the author
  std::vector<std::string> reply_all;     // author + To + CC, less the caller
};

class MailService {
 public:
  MailService(Store& store, BlobService& blobs, const Clock& clock, MailOptions options = {});

  // Sends a message or saves a draft. The checks, reads and expansion run on the calling
  // thread; `done` is called once the message is durable (or with the failure), and
  // `delivered` once every recipient's copy can be read, before or after `done` (see
  // MailStore::save_message_async): on the store's writer thread for a store that writes
  // asynchronously, so hand the result on, quickly.
  void compose_async(const Principal& caller, const ComposeInput& input,
                     std::function<void(Result<SendResult>)> done,
                     std::function<void()> delivered = {});
  Result<MessageRecord> update_draft(const Principal& caller, Id message, const ComposeInput& input,
                                     const std::vector<std::string>& fields);
  Result<SendResult> send_draft(const Principal& caller, Id message);
  Result<MessageView> view(const Principal& caller, Id message);
  Result<void> act(const Principal& caller, const std::vector<Id>& messages, EntryAction action);
  Result<FolderPage> folder(const Principal& caller, const FolderQuery& query);
  // The HTML a body would be sent as (the compose form's preview), with the send's size rule.
  Result<std::string> preview(std::string_view body, BodyFormat format) const;
  std::vector<FolderSummary> folders(const Principal& caller);
  // Addresses as "user:1 group:2" with the name of each (display name, group name).
  std::vector<NamedAddress> describe(const std::string& addresses);

 private:
  struct Expansion {
    std::vector<Id> users;
    std::vector<AddressOutcome> outcomes;
  };
  Result<Expansion> expand(const Principal& caller, const AddressLists& addresses,
                           std::optional<Id> reply_author);
  Result<std::vector<AttachmentRef>> check_attachments(const Principal& caller,
                                                       const std::vector<std::string>& ids);
  Result<void> check_content(const std::string& subject, const std::string& body);
  // A send or a draft up to its one write: the message as it will be written, and the reply
  // that its commit completes (the saved message filled in then).
  struct PlannedSend {
    NewMessage message;
    SendResult result;
  };
  Result<PlannedSend> plan_compose(const Principal& caller, const ComposeInput& input);
  Result<PlannedSend> plan_delivery(const Principal& caller, NewMessage message);

  Store& store_;
  BlobService& blobs_;
  const Clock& clock_;
  MailOptions options_;
};

// "user:1 group:2" from a list, and back.
std::string join_addresses(const std::vector<std::string>& addresses);
std::vector<std::string> split_addresses(const std::string& joined);

}  // namespace herald
