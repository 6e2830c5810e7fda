#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A scripted OpenAI-compatible chat-completions endpoint for tests.

    scripted-server.py SCRIPT.json DIR

Listens on 127.0.0.1 (a free port, written to DIR/port once it listens),
appends every request to DIR/requests.jsonl ({"path", "authorization",
"body"}) and answers POST .../chat/completions with the script's entries
in turn, the last one again when they run out. An entry:
  {"content": TEXT}            a completion whose message is TEXT
  {"status": N, "body": TEXT}  that status and raw body
  {"delay_s": S, ...}          the same, S seconds late
Ends on SIGTERM.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

script = json.load(open(sys.argv[1]))
out = sys.argv[2]
lock = threading.Lock()
turn = [0]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        with lock:
            entry = script[min(turn[0], len(script) - 1)]
            turn[0] += 1
            with open(os.path.join(out, "requests.jsonl"), "a") as f:
                f.write(json.dumps({"path": self.path,
                                    "authorization": self.headers.get("Authorization"),
                                    "body": json.loads(body)}) + "\n")
        time.sleep(entry.get("delay_s", 0))
        if "content" in entry:
            status = 200
            reply = json.dumps({
                "object": "chat.completion",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant",
                                         "content": entry["content"]}}],
                "usage": {"prompt_tokens": 1000 + turn[0],
                          "completion_tokens": 20}})
        else:
            status = entry.get("status", 500)
            reply = entry.get("body", "")
        data = reply.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting: what a timeout test wants


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
server.serve_forever()
