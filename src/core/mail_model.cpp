#include "core/mail_model.hpp"

namespace herald {

const char* kind_name(MessageKind kind) noexcept {
  switch (kind) {
    case MessageKind::mail:
      return "mail";
    case MessageKind::broadcast:
      return "broadcast";
    case MessageKind::notice:
      return "notice";
  }
  return "mail";
}

std::optional<MessageKind> parse_kind(std::string_view text) noexcept {
  if (text == "mail") return MessageKind::mail;
  if (text == "broadcast") return MessageKind::broadcast;
  if (text == "notice") return MessageKind::notice;
  return std::nullopt;
}

const char* folder_name(Folder folder) noexcept {
  switch (folder) {
    case Folder::inbox:
      return "inbox";
    case Folder::sent:
      return "sent";
    case Folder::drafts:
      return "drafts";
    case Folder::trash:
      return "trash";
  }
  return "inbox";
}

std::optional<Folder> parse_folder(std::string_view text) noexcept {
  if (text == "inbox") return Folder::inbox;
  if (text == "sent") return Folder::sent;
  if (text == "drafts") return Folder::drafts;
  if (text == "trash") return Folder::trash;
  return std::nullopt;
}

}  // namespace herald
