// Sends N emails through SmtpSender to an SMTP server from 1..T worker threads, each with its
// own sender (and so its own reused connection), and prints messages/s for each thread count.
// Usage: smtp_load --url smtp://127.0.0.1:PORT [--messages N] [--threads T] [--attachment BYTES]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "delivery/email/mime_message.hpp"
#include "delivery/email/smtp_sender.hpp"

namespace {

using namespace herald::delivery;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string url;
  int messages = 10000;
  int max_threads = 4;
  std::size_t attachment_bytes = 0;
};

// A notification as herald sends them: a non-ASCII subject, a short text and its HTML.
OutgoingEmail notification(int n, const std::filesystem::path& attachment) {
  OutgoingEmail email;
  email.from = {"noreply@herald.test", "Herald"};
  email.to = {"user" + std::to_string(n % 1000) + "@example.org",
              "Utilisateur " + std::to_string(n)};
  email.subject =
      "Nouveau message : R\xC3\xA9union du conseil de classe n\xC2\xB0" + std::to_string(n);
  std::string paragraph =
      "Bonjour, un nouveau message vous attend dans herald. La r\xC3\xA9union aura lieu "
      "jeudi \xC3\xA0 17 h en salle B12 ; merci de confirmer votre pr\xC3\xA9sence.\n";
  for (int i = 0; i < 4; ++i) email.text += paragraph;
  email.html = "<html><body>";
  for (int i = 0; i < 4; ++i) email.html += "<p>" + paragraph + "</p>";
  email.html += "<p><a href=\"https://herald.example.org/m/" + std::to_string(n) +
                "\">Ouvrir</a></p></body></html>";
  email.message_id = "bench" + std::to_string(n) + ".m1@herald.test";
  email.date_ms = 1'800'000'000'000;
  if (!attachment.empty())
    email.attachments.push_back(
        {"pi\xC3\xA8"
         "ce.pdf",
         "application/pdf", attachment});
  return email;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--url")
      options.url = argv[i + 1];
    else if (flag == "--messages")
      options.messages = std::atoi(argv[i + 1]);
    else if (flag == "--threads")
      options.max_threads = std::atoi(argv[i + 1]);
    else if (flag == "--attachment")
      options.attachment_bytes = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  if (options.url.empty() || options.messages <= 0 || options.max_threads <= 0) {
    std::fprintf(stderr,
                 "usage: smtp_load --url smtp://HOST:PORT [--messages N] [--threads T] "
                 "[--attachment BYTES]\n");
    std::exit(2);
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  std::filesystem::path attachment;
  if (options.attachment_bytes > 0) {
    attachment = std::filesystem::temp_directory_path() / "herald-smtp-load-attachment";
    std::ofstream(attachment, std::ios::binary) << std::string(options.attachment_bytes, 'A');
  }

  // What composing costs on its own, for comparison with the sends.
  auto compose_start = Clock::now();
  std::size_t bytes = 0;
  constexpr int kComposeRounds = 20000;
  for (int n = 0; n < kComposeRounds; ++n)
    bytes += compose_mime(notification(n, attachment))->size();
  double compose_seconds = std::chrono::duration<double>(Clock::now() - compose_start).count();
  std::printf("compose_mime: %.0f messages/s on one thread (%zu bytes each)\n",
              kComposeRounds / compose_seconds, bytes / kComposeRounds);

  int failures = 0;
  for (int threads = 1; threads <= options.max_threads; ++threads) {
    std::atomic<int> next{0}, sent{0}, not_sent{0};
    std::vector<std::thread> workers;
    auto start = Clock::now();
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        SmtpConfig config;
        config.url = options.url;
        config.starttls = SmtpConfig::StartTls::none;
        config.timeout = std::chrono::seconds(30);
        SmtpSender sender(config);
        for (int n; (n = next++) < options.messages;) {
          Outcome outcome = sender.send(notification(n, attachment));
          if (outcome.verdict == Verdict::sent) {
            ++sent;
          } else if (not_sent++ == 0) {
            std::fprintf(stderr, "not sent: %s\n", outcome.detail.c_str());
          }
        }
      });
    }
    for (auto& worker : workers) worker.join();
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%d thread%s: %d messages in %.2f s = %.0f messages/s (%d not sent)\n", threads,
                threads == 1 ? " " : "s", sent.load(), seconds, sent.load() / seconds,
                not_sent.load());
    std::fflush(stdout);
    failures += not_sent.load();
  }
  if (!attachment.empty()) std::filesystem::remove(attachment);
  return failures == 0 ? 0 : 1;
}
