#!/usr/bin/python3
"""An SMTP server for tests, on aiosmtpd: stores what it receives and misbehaves on request.

Listens on 127.0.0.1 (--port, default 0: any free port) and prints the port as its first line
of stdout. Every message accepted is written to --dir as N.eml (the bytes received) and
N.json (envelope: mail_from, rcpt_tos, tls, login). The file `connections` in --dir holds the
number of TCP connections accepted so far, written before the greeting is sent.

Recipients choose the server's behaviour, so one server serves many cases:
  rcpt<CODE>@...  RCPT TO is answered with CODE (e.g. rcpt550@example.org)
  data<CODE>@...  the end of DATA is answered with CODE
  stall@...       the end of DATA is never answered
Options: --auth LOGIN:PASSWORD (AUTH required, allowed without TLS), --tls-cert/--tls-key
(offer STARTTLS), --implicit-tls (with the same cert and key: TLS from the first byte, as
for smtps://, instead of STARTTLS), --require-tls (no MAIL before STARTTLS), --drop-second-mail (close the
connection without a reply at the second MAIL of a connection), --discard (accept messages
without storing them: for benchmarks).
"""
import argparse
import asyncio
import json
import logging
import os
import re
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

REPLY_TEXT = {4: "4.0.0 temporary failure for tests", 5: "5.0.0 permanent failure for tests"}


class Counter:
    def __init__(self, folder):
        self.folder = folder
        self.connections = 0
        self.messages = 0

    def write_atomically(self, name, data):
        temp = os.path.join(self.folder, "." + name + ".tmp")
        with open(temp, "wb") as out:
            out.write(data)
        os.rename(temp, os.path.join(self.folder, name))


class SinkSMTP(SMTP):
    """Counts connections (not the TLS restarts of one) and can drop one at its second MAIL."""

    def __init__(self, handler, counter, drop_second_mail, **kwargs):
        super().__init__(handler, **kwargs)
        self.counter = counter
        self.drop_second_mail = drop_second_mail
        self.mails = 0

    def connection_made(self, transport):
        if self._original_transport is None:
            self.counter.connections += 1
            self.counter.write_atomically("connections", str(self.counter.connections).encode())
        super().connection_made(transport)

    async def smtp_MAIL(self, arg):
        self.mails += 1
        if self.drop_second_mail and self.mails == 2:
            self.transport.close()
            return
        await super().smtp_MAIL(arg)


def reply_for(code):
    return f"{code} {REPLY_TEXT[code // 100]}"


class Handler:
    def __init__(self, counter, discard):
        self.counter = counter
        self.discard = discard

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        match = re.match(r"rcpt(\d{3})@", address)
        if match:
            return reply_for(int(match.group(1)))
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address.startswith("stall@"):
                await asyncio.sleep(3600)
            match = re.match(r"data(\d{3})@", address)
            if match:
                return reply_for(int(match.group(1)))
        self.counter.messages += 1
        number = self.counter.messages
        if self.discard:
            return f"250 2.0.0 OK queued as sink-{number}"
        envelope_info = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data if isinstance(session.auth_data, str) else None,
        }
        self.counter.write_atomically(f"{number}.json", json.dumps(envelope_info).encode())
        self.counter.write_atomically(f"{number}.eml", envelope.original_content)
        return f"250 2.0.0 OK queued as sink-{number}"


def make_authenticator(expected):
    login, password = expected.split(":", 1)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == login
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False, auth_data=login if ok else None)

    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--auth")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--require-tls", action="store_true")
    parser.add_argument("--drop-second-mail", action="store_true")
    parser.add_argument("--discard", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    if args.drop_second_mail:
        # aiosmtpd reports the connection we close on purpose as a session exception.
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    # AUTH without TLS is what the tests ask for; aiosmtpd warns about it on every connection.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

    counter = Counter(args.dir)
    counter.write_atomically("connections", b"0")
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    implicit_tls = tls_context if args.implicit_tls else None
    if args.implicit_tls:
        tls_context = None
    options = dict(hostname="sink.test", tls_context=tls_context,
                   require_starttls=args.require_tls, data_size_limit=None)
    if args.auth:
        options.update(authenticator=make_authenticator(args.auth), auth_required=True,
                       auth_require_tls=False)
    handler = Handler(counter, args.discard)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SinkSMTP(handler, counter, args.drop_second_mail, loop=loop, **options),
        "127.0.0.1", args.port, ssl=implicit_tls))
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
