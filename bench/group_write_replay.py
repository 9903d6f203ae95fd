#!/usr/bin/env python3
"""Replays what a send to a group writes, on a copy of a herald store, under several layouts:
20 sends in a row, each in its own transaction with herald's pragmas (WAL, synchronous=FULL).
Prints each layout's p50 and the WAL it left. Used to decide how large sends are written.
  copies   the copies as herald writes them in the send's transaction (five per-user B-trees)
  merged   the same with the unread index folded into the folder index and the inbox and
           bell counters in one row per user (four)
  list     one row per recipient keyed by message (what a send now commits before its 201)
Usage: group_write_replay.py HERALD_DB [GROUP_ID]   (the store is copied, never changed)"""
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

source = sys.argv[1]
group = int(sys.argv[2]) if len(sys.argv) > 2 else 1


def replay(layout):
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "replay.db")
    shutil.copy(source, path)
    c = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "cache_size=-65536", "mmap_size=0"):
        c.execute(f"PRAGMA {pragma}")
    ids = json.dumps([r[0] for r in c.execute(
        "SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id", (group,))])
    if layout == "merged":
        c.execute("DROP INDEX mailbox_unread")
        c.execute("DROP INDEX mailbox_folder")
        c.execute("CREATE INDEX mailbox_folder ON mailbox_entries"
                  " (user_id, folder, is_read, sort_at DESC, message_id DESC)")
        c.execute("CREATE TABLE user_counters (user_id INTEGER PRIMARY KEY,"
                  " inbox_total INTEGER NOT NULL DEFAULT 0, inbox_unread INTEGER NOT NULL DEFAULT 0,"
                  " notifications INTEGER NOT NULL DEFAULT 0,"
                  " notifications_unread INTEGER NOT NULL DEFAULT 0)")
        c.execute("INSERT INTO user_counters (user_id) SELECT id FROM users")
    if layout == "list":
        c.execute("CREATE TABLE recipients (message_id INTEGER, user_id INTEGER,"
                  " PRIMARY KEY (message_id, user_id)) WITHOUT ROWID")
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    times = []
    for i in range(20):
        at = 10**13 + i
        started = time.perf_counter()
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO messages (kind, author_id, thread_id, subject, body, body_html,"
                  " snippet, is_draft, created_at, sent_at)"
                  " VALUES ('mail', 1, 0, 's', 'b', 'b', 'b', 0, ?, ?)", (at, at))
        message = c.execute("SELECT last_insert_rowid()").fetchone()[0]
        if layout == "list":
            c.execute("INSERT INTO recipients SELECT ?1, value FROM json_each(?2)", (message, ids))
        else:
            c.execute("INSERT INTO mailbox_entries (user_id, message_id, role, folder, origin,"
                      " is_read, sort_at) SELECT value, ?1, 1, 'inbox', 'inbox', 0, ?2"
                      " FROM json_each(?3)", (message, at, ids))
            if layout == "copies":
                for folder in ("inbox", "bell"):
                    c.execute("INSERT INTO folder_counters (user_id, folder, total, unread)"
                              " SELECT value, ?2, 1, 1 FROM json_each(?1) WHERE true"
                              " ON CONFLICT (user_id, folder) DO UPDATE SET total = total + 1,"
                              " unread = unread + 1", (ids, folder))
            else:
                c.execute("UPDATE user_counters SET notifications = notifications + 1,"
                          " notifications_unread = notifications_unread + 1,"
                          " inbox_total = inbox_total + 1,"
                          " inbox_unread = inbox_unread + 1"
                          " WHERE user_id IN (SELECT value FROM json_each(?))", (ids,))
            c.execute("INSERT INTO notifications (user_id, kind, message_id, title, text, url,"
                      " is_read, created_at) SELECT value, 'mail', ?1, 't', 'x', NULL, 0, ?2"
                      " FROM json_each(?3)", (message, at, ids))
        c.execute("COMMIT")
        times.append((time.perf_counter() - started) * 1000)
        if i % 5 == 4:
            c.execute("PRAGMA wal_checkpoint(PASSIVE)")
    wal = os.path.getsize(path + "-wal") / 1e6
    c.close()
    shutil.rmtree(folder)
    print(f"{layout:7} p50 {statistics.median(times):6.1f} ms, max {max(times):6.1f} ms,"
          f" WAL {wal:.1f} MB")


for layout in ("copies", "merged", "list"):
    replay(layout)
