// A real herald server for a suite of CLI tests, and a way to run the `herald` client against it
// with the suite's own saved-login file.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>

#include "support/api_fixture.hpp"

namespace herald::test {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

class CliTest : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ApiTest::SetUpTestSuite();
    config_dir_ = std::make_unique<TempDir>();
  }
  static void TearDownTestSuite() {
    config_dir_.reset();
    ApiTest::TearDownTestSuite();
  }

  static std::string config_file() { return (config_dir_->path() / "cli.json").string(); }

  // Runs `herald ARGS` (a shell word list) and waits for it.
  static CliRun herald(const std::string& args) {
    std::string command = "HERALD_CONFIG='" + config_file() + "' HERALD_SERVER='" +
                          server_->base_url() + "' '" + herald_binary() + "' " + args + " 2>&1";
    CliRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
    int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }

  static void login_as_admin() {
    CliRun login = herald(std::string("login admin --password ") + kAdminPassword);
    ASSERT_EQ(login.exit_code, 0) << login.output;
  }

  static inline std::unique_ptr<TempDir> config_dir_;
};

}  // namespace herald::test
