// herald: `herald serve` runs the server; every other subcommand is a client of its API.
#include <CLI/CLI.hpp>

#include "cli/cli_app.hpp"
#include "server/serve.hpp"

int main(int argc, char** argv) {
  CLI::App app{"herald: messages, broadcasts, notifications and alerts for an organisation"};
  app.require_subcommand(1);
  app.fallthrough();

  herald::ServeOptions serve_options;
  int serve_exit = 0;
  auto* serve = app.add_subcommand("serve", "run the herald server");
  serve->add_option("--listen", serve_options.listen, "HOST:PORT to listen on")
      ->envname("HERALD_LISTEN")
      ->capture_default_str();
  serve->add_option("--data", serve_options.data_dir, "data folder (the SQLite store lives here)")
      ->envname("HERALD_DATA")
      ->capture_default_str();
  serve->add_option("--store", serve_options.store_url, "store URL, e.g. sqlite:/var/lib/herald.db")
      ->envname("HERALD_STORE");
  serve->add_flag("--demo", serve_options.demo, "seed a small demo organisation")
      ->envname("HERALD_DEMO");
  serve->add_option("--io-threads", serve_options.io_threads, "network threads (0: one per core)")
      ->envname("HERALD_IO_THREADS")
      ->capture_default_str();
  serve
      ->add_option("--worker-threads", serve_options.worker_threads,
                   "threads for handlers that wait on the store")
      ->envname("HERALD_WORKER_THREADS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve->add_option("--max-body", serve_options.max_body_bytes, "largest JSON request body, bytes")
      ->envname("HERALD_MAX_BODY")
      ->capture_default_str();
  serve->add_option("--max-upload", serve_options.max_upload_bytes, "largest attachment, bytes")
      ->envname("HERALD_MAX_UPLOAD")
      ->capture_default_str();
  serve
      ->add_option("--max-mail-body", serve_options.max_mail_body_bytes,
                   "largest message body, bytes")
      ->envname("HERALD_MAX_MAIL_BODY")
      ->capture_default_str();
  serve
      ->add_option("--live-heartbeat", serve_options.live_heartbeat_seconds,
                   "seconds of quiet before a live session is pinged; a WebSocket silent for "
                   "2.5 times this is closed")
      ->envname("HERALD_LIVE_HEARTBEAT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve
      ->add_option("--log-level", serve_options.log_level,
                   "trace, debug, info, warn, error or off (requests are logged at debug)")
      ->envname("HERALD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  serve->callback([&] { serve_exit = herald::serve(serve_options); });

  herald::cli::ClientContext client;
  herald::cli::add_client_commands(app, client);

  CLI11_PARSE(app, argc, argv);
  return serve->parsed() ? serve_exit : client.exit_code;
}
