// JSON shapes of messages, folder rows, send outcomes and bell items.
#pragma once

#include <boost/json/object.hpp>

#include "core/mail_model.hpp"
#include "core/mail_service.hpp"

namespace herald::api {

boost::json::object to_json(const FolderItem& item);
boost::json::object to_json(const MessageView& view);
boost::json::object to_json(const SendResult& result);
boost::json::object to_json(const Notification& notification);
boost::json::object draft_json(const MessageRecord& message);

std::string encode_folder_cursor(const FolderCursor& cursor);
std::optional<FolderCursor> decode_folder_cursor(std::string_view text);

}  // namespace herald::api
