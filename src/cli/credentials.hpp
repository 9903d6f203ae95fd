// The saved login of the command-line client: server URL and token, in a file only its owner
// can read ($HERALD_CONFIG, else $XDG_CONFIG_HOME/herald/cli.json, else ~/.config/herald/cli.json).
#pragma once

#include <optional>
#include <string>

namespace herald::cli {

struct SavedLogin {
  std::string server;
  std::string token;
  std::string username;
};

std::string credentials_path();
std::optional<SavedLogin> load_login();
// Throws std::runtime_error when the file cannot be written.
void save_login(const SavedLogin& login);
void forget_login();

}  // namespace herald::cli
