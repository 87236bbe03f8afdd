#!/usr/bin/python3
"""A scriptable raw-wire HTTP server for the api/ tests: answers the emulator
cannot give (403 XML pages, bodies over 16 MiB, deeper nesting than the model,
Date skew, redirects, slow answers, closed connections, exact header checks).

Usage: fake_server.py [--port N] [--tls-cert F --tls-key F]
First stdout line: `listening on http://127.0.0.1:PORT` (https with TLS).

Control (never scripted, never logged):
  POST /_fake/script   JSON list of answers, queued in order; each answer:
       {"status": 200, "headers": {"Name": "value"}, "body": "text",
        "repeat": N (bytes: body repeated to N bytes), "json_depth": N (a JSON
        object nested N deep), "delay_ms": N, "close": true (close after sending),
        "short": N (announce the full Content-Length, send only N bytes, close),
        "no_length": true (no Content-Length: body until close),
        "date_offset": S (Date header S seconds from now),
        "reset": true (read the request, then close the connection with no answer)}
  POST /_fake/reset    empties the queue and the log, request ids start again at fake-1
  GET  /_fake/log      {"requests": [{"connection", "method", "path", "headers", "body",
                        "request_id"}]}
Any other request takes the next queued answer, or 200 `{}` when none is left.
Every answer carries `x-amzn-RequestId: fake-N` and a Date header unless the
script names them (an empty value drops the header).
"""
import argparse
import email.utils
import http.server
import itertools
import json
import socket
import ssl
import sys
import threading
import time

LOCK = threading.Lock()
QUEUE = []
LOG = []
CONN_IDS = itertools.count(1)
REQ_IDS = itertools.count(1)


def nested(depth):
    body = "{}"
    for _ in range(depth - 1):
        body = '{"a":' + body + "}"
    return body


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.conn_id = next(CONN_IDS)

    def log_message(self, *args):
        pass

    def _read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send_json(self, obj, status=200):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _control(self, body):
        global QUEUE
        if self.path == "/_fake/script":
            with LOCK:
                QUEUE.extend(json.loads(body or b"[]"))
            self._send_json({"queued": len(QUEUE)})
        elif self.path == "/_fake/reset":
            global REQ_IDS
            with LOCK:
                QUEUE = []
                LOG.clear()
                REQ_IDS = itertools.count(1)
            self._send_json({})
        elif self.path == "/_fake/log":
            with LOCK:
                self._send_json({"requests": list(LOG)})
        else:
            self._send_json({"error": "unknown control"}, 404)

    def _handle(self):
        body = self._read_body()
        if self.path.startswith("/_fake/"):
            return self._control(body)
        with LOCK:
            rid = "fake-%d" % next(REQ_IDS)
            LOG.append({
                "connection": self.conn_id, "method": self.command, "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"), "request_id": rid,
            })
            answer = QUEUE.pop(0) if QUEUE else {}
        if answer.get("delay_ms"):
            time.sleep(answer["delay_ms"] / 1000.0)
        if answer.get("reset"):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        status = answer.get("status", 200)
        if "json_depth" in answer:
            payload = nested(answer["json_depth"]).encode()
        elif "repeat" in answer:
            unit = (answer.get("body") or "x").encode()
            payload = (unit * (answer["repeat"] // len(unit) + 1))[: answer["repeat"]]
        else:
            payload = answer.get("body", "{}" if status < 300 else "").encode()
        headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-RequestId": rid,
            "Date": email.utils.formatdate(time.time() + answer.get("date_offset", 0),
                                           usegmt=True),
        }
        headers.update(answer.get("headers", {}))
        self.send_response_only(status)
        for k, v in headers.items():
            if v != "":
                self.send_header(k, v)
        if not answer.get("no_length"):
            self.send_header("Content-Length", str(len(payload)))
        if answer.get("close") or answer.get("no_length") or "short" in answer:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            if "short" in answer:
                self.wfile.write(payload[: answer["short"]])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            # Big bodies go out in pieces so a client that stops reading is seen.
            for i in range(0, len(payload), 1 << 20):
                self.wfile.write(payload[i:i + (1 << 20)])
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    scheme = "http"
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        scheme = "https"
    print("listening on %s://127.0.0.1:%d" % (scheme, srv.server_address[1]), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
