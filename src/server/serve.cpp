#include "server/serve.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "common/crypto.hpp"
#include "core/auth_service.hpp"
#include "core/blob_service.hpp"
#include "core/bootstrap.hpp"
#include "core/broadcast_service.hpp"
#include "core/directory_service.hpp"
#include "core/live_tickets.hpp"
#include "core/mail_service.hpp"
#include "core/notice_service.hpp"
#include "core/password_hasher.hpp"
#include "delivery/broadcast_fanout.hpp"
#include "delivery/outbox.hpp"
#include "live/hub.hpp"
#include "net/http_server.hpp"
#include "net/io_pool.hpp"
#include "server/delivery_setup.hpp"
#include "store/blob_files_disk.hpp"
#include "store/store.hpp"

namespace herald {

bool split_listen_address(const std::string& text, std::string& host, unsigned short& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned value = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last || value > 65535) return false;
  port = static_cast<unsigned short>(value);
  return true;
}

namespace {

std::optional<std::string> admin_password_from_environment() {
  const char* value = std::getenv("HERALD_ADMIN_PASSWORD");
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

}  // namespace

int serve(const ServeOptions& options) {
  // Logs go to stderr; stdout carries only what an operator must read (address, first password).
  spdlog::set_default_logger(spdlog::stderr_color_mt("herald"));
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  init_crypto();

  std::string host;
  unsigned short port = 0;
  if (!split_listen_address(options.listen, host, port)) {
    spdlog::error("--listen wants HOST:PORT, got '{}'", options.listen);
    return 2;
  }

  std::unique_ptr<Store> store;
  try {
    // Enough idle readers for every thread that reads: I/O threads and workers.
    int readers = static_cast<int>(std::thread::hardware_concurrency()) + options.worker_threads;
    store = open_store({options.store_url, options.data_dir, readers});
  } catch (const std::exception& e) {
    spdlog::error("cannot open the store: {}", e.what());
    return 1;
  }
  (void)store->delete_expired_tokens(system_now_ms());

  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  PasswordHasher hasher(PasswordHasher::interactive(), cores);
  SystemClock clock;
  AuthService auth(*store, hasher, clock);
  DirectoryService directory(*store, hasher, auth);
  std::unique_ptr<DiskBlobFiles> blob_files;
  try {
    blob_files = std::make_unique<DiskBlobFiles>(std::filesystem::path(options.data_dir) / "blobs");
  } catch (const std::exception& e) {
    spdlog::error("cannot prepare the attachment folder: {}", e.what());
    return 1;
  }
  BlobService blobs(*store, *blob_files, clock);
  MailOptions mail_options;
  mail_options.max_body_bytes = options.max_mail_body_bytes;
  MailService mail(*store, blobs, clock, mail_options);

  DeliverySetup delivery;
  try {
    delivery = prepare_delivery(options.delivery, options.data_dir, *blob_files, *store, clock);
  } catch (const std::exception& e) {
    spdlog::error("cannot prepare delivery: {}", e.what());
    return 1;
  }
  NoticeOptions notice_options;
  notice_options.channels = delivery.channels;
  notice_options.message_id_host = delivery.outbox.message_id_host;
  notice_options.max_body_bytes = options.max_mail_body_bytes;
  NoticeService notices(*store, clock, notice_options);
  delivery::Outbox outbox(*store, clock, delivery.outbox, delivery.factories);
  BroadcastOptions broadcast_options;
  broadcast_options.channels = delivery.channels;
  broadcast_options.public_url = options.public_url;  // or, once listening, http://HOST:PORT
  broadcast_options.max_body_bytes = options.max_mail_body_bytes;
  BroadcastService broadcasts(*store, clock, broadcast_options);
  delivery::BroadcastFanout fanout(
      *store, [&broadcasts](const FanoutBatch& batch) { return broadcasts.plan_deliveries(batch); },
      [&outbox] {
        outbox.notify(DeliveryChannel::email);
        outbox.notify(DeliveryChannel::push);
      });

  try {
    auto admin = ensure_first_admin(*store, hasher, admin_password_from_environment());
    if (admin.generated_password) {
      std::printf("herald: created the first admin: username 'admin', password '%s' (shown once)\n",
                  admin.generated_password->c_str());
    } else if (admin.created) {
      std::printf("herald: created the first admin 'admin' with HERALD_ADMIN_PASSWORD\n");
    }
    if (options.demo) {
      for (const auto& account : seed_demo(*store, hasher)) {
        std::printf("herald: demo account '%s' (%s), password '%s'\n", account.username.c_str(),
                    account.role.c_str(), account.password.c_str());
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("cannot prepare the directory: {}", e.what());
    return 1;
  }

  net::IoPool pool(options.io_threads);
  live::HubOptions live_options;
  live_options.heartbeat = std::chrono::seconds(options.live_heartbeat_seconds);
  // Two and a half heartbeats, counted in milliseconds: a one-second heartbeat must not round down
  // to two seconds, or a ping answered at once could still miss the tick that judges it.
  live_options.idle_timeout = std::chrono::milliseconds(live_options.heartbeat) * 5 / 2;
  live_options.hello_timeout = std::min(live_options.hello_timeout, live_options.heartbeat);
  live::Hub hub(pool, live_options);
  LiveTickets tickets;
  api::Services services{*store,
                         auth,
                         directory,
                         mail,
                         blobs,
                         hub,
                         tickets,
                         notices,
                         broadcasts,
                         delivery.vapid_public_key,
                         [&outbox] {
                           outbox.notify(DeliveryChannel::email);
                           outbox.notify(DeliveryChannel::push);
                         },
                         [&fanout] { fanout.notify(); },
                         [&pool](std::function<void()> task) { pool.post(std::move(task)); }};
  hub.set_authenticator([services](std::string_view token, std::string_view ticket) mutable {
    return api::authenticate_hello(services, token, ticket);
  });
  api::Api api(services);
  net::HttpServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.worker_threads = options.worker_threads;
  server_options.body_limit = options.max_body_bytes;
  server_options.upload_limit = options.max_upload_bytes;
  server_options.upload_dir = blob_files->incoming_dir();
  net::HttpServer server(server_options, api, pool, hub);
  try {
    port = server.listen();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  bool v6 = host.find(':') != std::string::npos;
  if (options.public_url.empty()) {
    broadcasts.set_public_url(
        fmt::format("http://{}{}{}:{}", v6 ? "[" : "", host, v6 ? "]" : "", port));
  }
  std::printf("herald: listening on http://%s%s%s:%u\n", v6 ? "[" : "", host.c_str(), v6 ? "]" : "",
              port);
  std::fflush(stdout);
  outbox.start();
  fanout.start();
  server.run();
  // Sends still being written answer through the I/O threads' contexts: let them finish while
  // those exist (they are destroyed before the store).
  store->drain_writes();
  fanout.stop();
  outbox.stop();
  return 0;
}

}  // namespace herald
