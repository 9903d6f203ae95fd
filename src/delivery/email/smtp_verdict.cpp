#include "delivery/email/smtp_verdict.hpp"

namespace herald::delivery {

Outcome smtp_outcome(const SmtpResult& result) {
  if (result.completed) return {Verdict::sent, result.reply, std::nullopt};
  bool refused = result.reply_code >= 400 && result.reply_code < 600;
  if (!refused) {
    // The last reply was a positive one (or there was none): the failure is the transport's.
    std::string detail =
        result.transport_error.empty() ? "SMTP transaction failed" : result.transport_error;
    return {Verdict::retry, std::move(detail), std::nullopt};
  }
  std::string detail = result.reply;
  if (detail.empty()) {
    detail = "SMTP " + std::to_string(result.reply_code);
    if (!result.transport_error.empty()) detail += ": " + result.transport_error;
  }
  Verdict verdict = result.reply_code >= 500 ? Verdict::failed : Verdict::retry;
  return {verdict, std::move(detail), std::nullopt};
}

}  // namespace herald::delivery
