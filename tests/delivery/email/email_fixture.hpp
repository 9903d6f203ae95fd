// What the SMTP tests share: a sender configured for a sink, a small email, the fields of an
// envelope the sink stored.
#pragma once

#include <boost/json.hpp>

#include "delivery/channel.hpp"
#include "delivery/email/smtp_sender.hpp"
#include "support/smtp_sink.hpp"

namespace herald::delivery::test_email {

inline SmtpConfig config_for(const herald::test::SmtpSink& sink) {
  SmtpConfig config;
  config.url = sink.url();
  config.starttls = SmtpConfig::StartTls::none;
  config.timeout = std::chrono::seconds(10);
  return config;
}

inline OutgoingEmail small_email(std::string to = "ana@example.org", int n = 1) {
  OutgoingEmail email;
  email.from = {"noreply@herald.test", "Herald"};
  email.to = {std::move(to), "Ana"};
  email.subject = "Message " + std::to_string(n);
  email.text = "Hello.\n";
  email.html = "<p>Hello.</p>\n";
  email.message_id = "d" + std::to_string(n) + ".m1@herald.test";
  email.date_ms = 1'800'000'000'000;
  return email;
}

inline boost::json::object envelope(const herald::test::SmtpSink& sink, int n) {
  return boost::json::parse(herald::test::read_file(sink.envelope_file(n))).as_object();
}

}  // namespace herald::delivery::test_email
