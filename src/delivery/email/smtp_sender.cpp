#include "delivery/email/smtp_sender.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "delivery/email/mime_message.hpp"
#include "delivery/email/smtp_verdict.hpp"

namespace herald::delivery {
namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl failed to initialise");
    }
  });
}

struct RecipientList {
  curl_slist* list = nullptr;
  explicit RecipientList(const std::string& address) {
    list = curl_slist_append(nullptr, address.c_str());
  }
  ~RecipientList() { curl_slist_free_all(list); }
  RecipientList(const RecipientList&) = delete;
  RecipientList& operator=(const RecipientList&) = delete;
};

}  // namespace

struct SmtpSender::Connection {
  CURL* curl = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  // The server's replies during the current transaction, one string per reply (a multi-line
  // reply joined by spaces); the last one may still be incomplete.
  std::vector<std::string> replies;
  bool reply_complete = true;
  // The message being uploaded.
  std::string_view upload;
  std::size_t uploaded = 0;

  static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* self) {
    auto& connection = *static_cast<Connection*>(self);
    std::size_t n = std::min(size * count, connection.upload.size() - connection.uploaded);
    std::memcpy(buffer, connection.upload.data() + connection.uploaded, n);
    connection.uploaded += n;
    return n;
  }

  // libcurl hands every SMTP reply line to the header callback.
  static std::size_t on_reply_line(char* data, std::size_t size, std::size_t count, void* self) {
    auto& connection = *static_cast<Connection*>(self);
    std::string_view line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (connection.reply_complete) {
      connection.replies.emplace_back(line);
    } else {
      connection.replies.back() += ' ';
      connection.replies.back() += line;
    }
    // "250-first line" continues, "250 last line" (or a bare "250") ends a reply.
    connection.reply_complete = line.size() < 4 || line[3] != '-';
    return size * count;
  }

  // After a failure libcurl may keep the connection cached in the middle of a dialogue (7.88
  // does after a timeout), and would reuse it for the next send or wait for QUIT's reply when
  // closing. Shutting the socket down makes it see a dead connection and drop it.
  void discard() const {
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK &&
        socket != CURL_SOCKET_BAD) {
      ::shutdown(socket, SHUT_RDWR);
    }
  }

  // The last reply carrying `code`: libcurl may read further replies (QUIT's 221) after the
  // one that decided the transaction.
  std::string reply_with_code(long code) const {
    std::string prefix = std::to_string(code);
    for (auto it = replies.rbegin(); it != replies.rend(); ++it) {
      if (it->rfind(prefix, 0) == 0) return *it;
    }
    return {};
  }
};

SmtpSender::SmtpSender(SmtpConfig config) : connection_(std::make_unique<Connection>()) {
  if (config.url.rfind("smtp://", 0) != 0 && config.url.rfind("smtps://", 0) != 0) {
    throw std::invalid_argument("the SMTP URL must start with smtp:// or smtps://");
  }
  init_curl_once();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  connection_->curl = curl;
  long timeout_ms = static_cast<long>(config.timeout.count());
  curl_easy_setopt(curl, CURLOPT_URL, config.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  // Bounds the wait for QUIT's reply when a connection closes, which the overall timeout does
  // not cover (libcurl's default is 120 s).
  long timeout_s = std::max(1L, (timeout_ms + 999) / 1000);
  curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_s);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, connection_->error);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Connection::on_read);
  curl_easy_setopt(curl, CURLOPT_READDATA, connection_.get());
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Connection::on_reply_line);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, connection_.get());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!config.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, config.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config.password.c_str());
  }
  long use_ssl = CURLUSESSL_TRY;
  if (config.starttls == SmtpConfig::StartTls::none) use_ssl = CURLUSESSL_NONE;
  if (config.starttls == SmtpConfig::StartTls::required) use_ssl = CURLUSESSL_ALL;
  curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, config.verify_peer ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, config.verify_peer ? 2L : 0L);
  if (!config.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, config.ca_file.c_str());
  // libcurl copies every string option, so the config (and its password) is not kept here.
}

SmtpSender::~SmtpSender() {
  // Closes the cached connection with QUIT, waiting at most `timeout` (in whole seconds).
  curl_easy_cleanup(connection_->curl);
}

Outcome SmtpSender::send(const OutgoingEmail& email) {
  auto message = compose_mime(email);
  if (!message) return {Verdict::failed, message.error().message, std::nullopt};

  Connection& connection = *connection_;
  CURL* curl = connection.curl;
  RecipientList recipients(email.to.address);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, email.from.address.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.list);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message->size()));

  SmtpResult result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    connection.upload = *message;
    connection.uploaded = 0;
    connection.replies.clear();
    connection.reply_complete = true;
    connection.error[0] = '\0';
    // The second attempt happens only after the relay dropped a reused connection.
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, attempt == 0 ? 0L : 1L);
    CURLcode code = curl_easy_perform(curl);
    long reply_code = 0;
    long new_connections = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply_code);
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections);
    result = {};
    result.completed = code == CURLE_OK;
    result.reply_code = reply_code;
    result.reply = connection.reply_with_code(reply_code);
    result.transport_error =
        connection.error[0] != '\0' ? connection.error : curl_easy_strerror(code);
    if (!result.completed) connection.discard();
    // A relay may close an idle connection just as we reuse it. Sending again over a new
    // connection at once is the answer, not a retry after a backoff; at worst (a drop after
    // the end of DATA) the relay gets a second copy with the same Message-ID.
    bool dropped =
        code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING;
    if (result.completed || reply_code >= 400 || !dropped || new_connections > 0) break;
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  connection.upload = {};
  return smtp_outcome(result);
}

}  // namespace herald::delivery
