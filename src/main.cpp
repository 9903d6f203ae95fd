// herald: `herald serve` runs the server; every other subcommand is a client of its API.
#include <CLI/CLI.hpp>

#include "cli/cli_app.hpp"
#include "server/serve.hpp"
#include "server/serve_flags.hpp"

int main(int argc, char** argv) {
  CLI::App app{"herald: messages, broadcasts, notifications and alerts for an organisation"};
  app.require_subcommand(1);
  app.fallthrough();

  herald::ServeOptions serve_options;
  int serve_exit = 0;
  auto* serve = app.add_subcommand("serve", "run the herald server");
  herald::add_serve_flags(*serve, serve_options);
  serve->callback([&] { serve_exit = herald::serve(serve_options); });

  herald::cli::ClientContext client;
  herald::cli::add_client_commands(app, client);

  CLI11_PARSE(app, argc, argv);
  return serve->parsed() ? serve_exit : client.exit_code;
}
