// `herald serve`: opens the store, prepares the first admin, and runs the HTTP server.
#pragma once

#include <cstddef>
#include <string>

#include "server/delivery_setup.hpp"

namespace herald {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./herald-data";
  std::string store_url;   // empty: SQLite in data_dir
  std::string public_url;  // where people reach this server; empty: http://LISTEN
  bool demo = false;
  int io_threads = 0;  // 0: one per core
  int worker_threads = 32;
  std::size_t max_body_bytes = 2 * 1024 * 1024;     // a JSON request
  std::size_t max_upload_bytes = 25 * 1024 * 1024;  // one attachment
  std::size_t max_mail_body_bytes = 1024 * 1024;    // the body of a message
  int live_heartbeat_seconds = 30;
  DeliveryOptions delivery;
  std::string log_level = "info";
};

// Runs until SIGINT or SIGTERM; returns the process exit code.
int serve(const ServeOptions& options);

// Splits "HOST:PORT" or "[V6]:PORT". False when malformed.
bool split_listen_address(const std::string& text, std::string& host, unsigned short& port);

}  // namespace herald
