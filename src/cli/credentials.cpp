#include "cli/credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace herald::cli {

std::string credentials_path() {
  if (const char* explicit_path = std::getenv("HERALD_CONFIG"); explicit_path && *explicit_path) {
    return explicit_path;
  }
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".config";
  } else {
    base = ".";
  }
  return (base / "herald" / "cli.json").string();
}

std::optional<SavedLogin> load_login() {
  std::ifstream in(credentials_path());
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto value = boost::json::parse(text.str(), ec);
  if (ec || !value.is_object()) return std::nullopt;
  auto field = [&](const char* key) -> std::string {
    const auto* v = value.as_object().if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  return SavedLogin{field("server"), field("token"), field("username")};
}

void save_login(const SavedLogin& login) {
  std::filesystem::path path = credentials_path();
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  boost::json::object object{
      {"server", login.server}, {"token", login.token}, {"username", login.username}};
  std::string text = boost::json::serialize(object);
  text += '\n';
  // Private from its creation, before the secret goes in.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) throw std::runtime_error("cannot write " + path.string());
  ::fchmod(fd, S_IRUSR | S_IWUSR);  // an older file may have had wider permissions
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write " + path.string());
}

void forget_login() {
  std::error_code ignored;
  std::filesystem::remove(credentials_path(), ignored);
}

}  // namespace herald::cli
