#!/usr/bin/python3
"""Parses one email file with Python's email package and prints what a mail client would see,
as JSON: decoded headers, the text and HTML parts, the attachments (name, type, size, sha256)
and every defect the parser noticed. An independent reading of what herald composes."""
import email
import email.policy
import email.utils
import hashlib
import json
import sys


def mailbox(header):
    if header is None:
        return None
    address = header.addresses[0]
    return {"name": address.display_name, "address": address.addr_spec}


def main():
    with open(sys.argv[1], "rb") as source:
        raw = source.read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    date = message["date"]
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    defects = [type(d).__name__ for part in message.walk() for d in part.defects]
    defects += [type(d).__name__ for name in message.keys() for d in message[name].defects]
    result = {
        "subject": str(message["subject"]),
        "from": mailbox(message["from"]),
        "to": mailbox(message["to"]),
        "message_id": str(message["message-id"]),
        "date": date.datetime.timestamp() if date is not None and date.datetime else None,
        "auto_submitted": message["auto-submitted"],
        "mime_version": message["mime-version"],
        "content_type": message.get_content_type(),
        "text": plain.get_content() if plain is not None else None,
        "text_encoding": plain["content-transfer-encoding"] if plain is not None else None,
        "html": html.get_content() if html is not None else None,
        "html_encoding": html["content-transfer-encoding"] if html is not None else None,
        "attachments": [
            {
                "name": part.get_filename(),
                "type": part.get_content_type(),
                "size": len(part.get_payload(decode=True)),
                "sha256": hashlib.sha256(part.get_payload(decode=True)).hexdigest(),
            }
            for part in message.iter_attachments()
        ],
        "defects": defects,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
