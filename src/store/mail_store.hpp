// MailStore: the part of the Store interface that keeps messages, mailbox copies, folders,
// attachments' metadata, bell items and communication rules. Same promises as Store: a write
// that returns ok is durable, and each method is one transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/mail_model.hpp"

namespace herald {

struct BlobRecord {
  std::string id;      // opaque, random
  std::string sha256;  // hex; names the stored file, shared by identical uploads
  std::int64_t size = 0;
  std::string type;
  std::string name;
  Id uploader_id = 0;
  TimeMs created_at = 0;
};

struct CommunicationRule {
  Id id = 0;
  Id from_group = 0;  // members of this group...
  Id to_group = 0;    // ...may address this group and its members
  TimeMs created_at = 0;
};

class MailStore {
 public:
  virtual ~MailStore() = default;

  // Address expansion.
  virtual std::vector<Id> group_member_ids(Id group) = 0;
  virtual std::vector<Id> all_user_ids() = 0;
  virtual std::vector<Id> groups_of_user(Id user) = 0;

  // Writes the message, the author's copy (sent, or drafts for a draft), every recipient's inbox
  // copy, the folder counters and the recipients' bell items, in one transaction. A reply marks
  // the author's copy of the parent as replied.
  virtual Result<MessageRecord> save_message(const NewMessage& message) = 0;
  // save_message without waiting for it: `done` is called once the message is durable, or the
  // write failed; on success, `delivered` is called once every recipient's copy can be read:
  // just before `done` when the copies were in the message's own commit, later otherwise (a
  // store may write the copies of a large fan-out after that commit, as the SQLite store does;
  // from `done` on, a read of a recipient's mailbox then waits for them). Both possibly on
  // another thread (the SQLite store calls them on its writer thread), so they must be quick:
  // hand the result on, and do no I/O. Stores that write synchronously call both at once.
  virtual void save_message_async(NewMessage message,
                                  std::function<void(Result<MessageRecord>)> done,
                                  std::function<void()> delivered) {
    auto saved = save_message(message);
    if (saved.ok() && delivered) delivered();
    done(std::move(saved));
  }
  // Whether some acknowledged send still has copies to write (to anyone, or to `user`): reads
  // of such a user's mailbox wait for them, so they are better not made on an I/O thread.
  virtual bool copies_pending() { return false; }
  virtual bool copies_pending_for(Id /*user*/) { return false; }
  // Returns once every asynchronous write submitted before the call has completed and its
  // callbacks have returned: the server calls it before the threads those callbacks post to go
  // away.
  virtual void drain_writes() {}
  // Sends the author's draft `message` to `delivery.recipients` (fields of delivery.message
  // other than sent_at are taken from the draft).
  virtual Result<MessageRecord> send_draft(Id author, Id message, const NewMessage& delivery) = 0;
  virtual Result<MessageRecord> update_draft(Id author, Id message, const DraftPatch& patch) = 0;

  virtual std::optional<MessageRecord> find_message(Id id) = 0;
  // The user's copies of the message (two when one wrote to oneself); empty: not theirs.
  virtual std::vector<MailboxEntry> entries_of(Id user, Id message) = 0;
  // The messages of a thread of which the user holds a copy, oldest first.
  virtual std::vector<MessageRecord> thread_for(Id user, Id thread) = 0;

  virtual FolderPage folder_page(Id user, const FolderQuery& query) = 0;
  virtual std::vector<FolderSummary> folder_summaries(Id user) = 0;
  // Applies `action` to the user's copies of each message in `ids`, all or nothing: not_found
  // when one is not the user's, conflict when purging a copy that is neither in trash nor a
  // draft. Returns the sha256 of blob files no longer referenced (to delete after commit).
  virtual Result<std::vector<std::string>> apply_to_entries(Id user, const std::vector<Id>& ids,
                                                            EntryAction action) = 0;

  // Attachments.
  virtual Result<void> insert_blob(const BlobRecord& blob) = 0;
  virtual std::optional<BlobRecord> find_blob(const std::string& id) = 0;
  // The uploader, or a user holding a copy of a message that carries the blob.
  virtual bool blob_visible_to(Id user, const std::string& blob_id) = 0;
  virtual bool blob_file_referenced(const std::string& sha256) = 0;

  // The bell, newest first.
  virtual Page<Notification> notifications(Id user, const PageRequest& page) = 0;
  virtual std::int64_t unread_notifications(Id user) = 0;
  virtual Result<void> mark_notification_read(Id user, Id notification) = 0;
  virtual Result<void> delete_notification(Id user, Id notification) = 0;

  // Communication rules.
  virtual std::vector<CommunicationRule> list_rules() = 0;
  virtual Result<CommunicationRule> create_rule(Id from_group, Id to_group) = 0;
  virtual Result<void> delete_rule(Id id) = 0;
};

}  // namespace herald
