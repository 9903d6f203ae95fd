// What one SMTP transaction's result means for the outbox: sent, retry later, or failed for good.
#pragma once

#include <string>
#include <string_view>

#include "delivery/channel.hpp"

namespace herald::delivery {

// How a transaction ended, as libcurl reports it.
struct SmtpResult {
  bool completed = false;       // the server accepted the message (CURLE_OK)
  long reply_code = 0;          // the last SMTP reply code (CURLINFO_RESPONSE_CODE); 0 if none
  std::string reply;            // that reply's text as the server sent it, "550 5.1.1 No such user"
  std::string transport_error;  // libcurl's message when it failed, "Connection refused"
};

// Accepted -> sent, with the server's reply (often its queue id) as detail. A 5xx reply ->
// failed, a 4xx reply -> retry, both with the reply as detail. Anything without a 4xx or 5xx
// reply (refused or dropped connections, timeouts, TLS failures, STARTTLS required but not
// offered) -> retry: the message is not at fault, and the outbox's bounded attempts end it.
Outcome smtp_outcome(const SmtpResult& result);

}  // namespace herald::delivery
