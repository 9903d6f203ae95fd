// Turns an OutgoingEmail into the RFC 5322 / MIME message that SMTP carries: headers safe
// against injection, a text and an HTML alternative, and the attachments read from their files.
#pragma once

#include <string>

#include "common/result.hpp"
#include "delivery/channel.hpp"

namespace herald::delivery {

// The whole message, with CRLF line endings, ready for SMTP DATA (without dot-stuffing, which
// the transport adds). Body text is quoted-printable when it is mostly ASCII, base64 otherwise.
// Fails with bad_request for an address or Message-ID that cannot go into a header, and with
// not_found when an attachment's file cannot be read; both are permanent for this email.
// Boundaries are random and start with "=_", which neither encoding can produce.
Result<std::string> compose_mime(const OutgoingEmail& email);

}  // namespace herald::delivery
