#include "support/parsed_mail.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <tuple>

#include <boost/json.hpp>

namespace herald::test {
namespace {

std::string run(const std::string& command) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> pipe(::popen(command.c_str(), "r"), &::pclose);
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get())) output.append(buffer, n);
  if (::pclose(pipe.release()) != 0) throw std::runtime_error("failed: " + command);
  return output;
}

std::string text_or_empty(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return {};
  return std::string(value->as_string());
}

std::optional<std::string> optional_text(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return std::string(value->as_string());
}

}  // namespace

ParsedMail parse_mail(const std::filesystem::path& file) {
  std::string output =
      run("/usr/bin/python3 '" HERALD_TEST_PEERS_DIR "/parse_mail.py' '" + file.string() + "'");
  auto json = boost::json::parse(output).as_object();
  ParsedMail mail;
  mail.subject = text_or_empty(json, "subject");
  for (auto [key, name, address] : {std::tuple{"from", &mail.from_name, &mail.from_address},
                                    std::tuple{"to", &mail.to_name, &mail.to_address}}) {
    if (const auto* box = json.if_contains(key); box != nullptr && box->is_object()) {
      *name = text_or_empty(box->as_object(), "name");
      *address = text_or_empty(box->as_object(), "address");
    }
  }
  mail.message_id = text_or_empty(json, "message_id");
  if (const auto* date = json.if_contains("date"); date != nullptr && !date->is_null()) {
    mail.date = date->to_number<double>();
  }
  mail.auto_submitted = text_or_empty(json, "auto_submitted");
  mail.mime_version = text_or_empty(json, "mime_version");
  mail.content_type = text_or_empty(json, "content_type");
  mail.text = optional_text(json, "text");
  mail.html = optional_text(json, "html");
  mail.text_encoding = text_or_empty(json, "text_encoding");
  mail.html_encoding = text_or_empty(json, "html_encoding");
  for (const auto& item : json.at("attachments").as_array()) {
    const auto& attachment = item.as_object();
    mail.attachments.push_back({text_or_empty(attachment, "name"),
                                text_or_empty(attachment, "type"),
                                static_cast<std::size_t>(attachment.at("size").to_number<double>()),
                                text_or_empty(attachment, "sha256")});
  }
  for (const auto& defect : json.at("defects").as_array()) {
    mail.defects.emplace_back(defect.as_string());
  }
  return mail;
}

}  // namespace herald::test
