#!/usr/bin/env python3
"""Times sends to a group one at a time: until the 201 (durable), and until a member's
GET /api/v1/folders answers with it (that read waits for the copies still being written, so it
ends once the mail is in every recipient's inbox). Keep-alive connections, one per user.
Usage: send_then_read.py PORT AUTHOR_TOKEN MEMBER_TOKEN GROUP_ID [ROUNDS]"""
import http.client
import json
import statistics
import sys
import time

port, author, member, group = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 10
sender = http.client.HTTPConnection("127.0.0.1", int(port))
reader = http.client.HTTPConnection("127.0.0.1", int(port))
body = json.dumps({"to": [f"group:{group}"], "subject": "To everyone", "body": "Hello all."})


def call(connection, method, path, token, payload=None):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


durable, visible = [], []
for _ in range(rounds):
    start = time.perf_counter()
    status, _ = call(sender, "POST", "/api/v1/messages", author, body)
    acknowledged = time.perf_counter()
    assert status == 201, status
    status, folders = call(reader, "GET", "/api/v1/folders", member)
    done = time.perf_counter()
    assert status == 200, status
    durable.append((acknowledged - start) * 1000)
    visible.append((done - start) * 1000)
inbox = json.loads(folders)["items"][0]
print(f"{rounds} sends: durable p50 {statistics.median(durable):.1f} ms max {max(durable):.1f} ms;"
      f" in every inbox p50 {statistics.median(visible):.1f} ms max {max(visible):.1f} ms"
      f" (member's inbox now {inbox['total']})")
