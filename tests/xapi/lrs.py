"""A learning record store on loopback for the outbox tests: POST /statements (one statement or an array)
checks EVERY statement against the committed xAPI statement schema (src/cairn/xapi/data/
statement.schema.json, jsonschema-rs) and the version header and Basic credentials, keeps each id once
(409 for another statement under a known id, as the spec says), and counts what it received. ``down`` makes
it answer 503, as an LRS being restarted would; stopping it closes the port (connection refused)."""

from __future__ import annotations

import base64
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cairn.xapi.validation import statement_errors

USERNAME, PASSWORD = "cairn", "lrs-secret"


class LoopbackLRS:
    def __init__(self, port: int = 0) -> None:
        self.stored: dict[str, dict[str, Any]] = {}
        self.received: Counter[str] = Counter()  # statement id -> times posted
        self.invalid: list[str] = []
        self.down = False
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                status, body = lrs.handle(self)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Experience-API-Version", "1.0.3")
                self.end_headers()
                self.wfile.write(json.dumps(body).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler) -> tuple[int, Any]:
        if self.down:
            return 503, {"error": "restarting"}
        expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return 401, {"error": "credentials"}
        if not request.headers.get("X-Experience-API-Version", "").startswith("1.0"):
            return 400, {"error": "X-Experience-API-Version"}
        if request.path != "/xAPI/statements":
            return 404, {"error": request.path}
        length = int(request.headers.get("Content-Length", 0))
        posted = json.loads(request.rfile.read(length))
        statements = posted if isinstance(posted, list) else [posted]
        for statement in statements:
            errors = statement_errors(statement)
            if errors:
                self.invalid.append(f"{statement.get('id')}: {errors}")
                return 400, {"error": errors}
            known = self.stored.get(statement["id"])
            if known is not None and known != statement:
                return 409, {"error": f"{statement['id']} is another statement"}
        for statement in statements:  # all or nothing, like an LRS's batch
            self.received[statement["id"]] += 1
            self.stored[statement["id"]] = statement
        return 200, [s["id"] for s in statements]
