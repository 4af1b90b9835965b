"""The shipped nginx snippets, run by a real nginx in front of two stand-in app servers."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import require

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "nginx"


@pytest.fixture(autouse=True)
def _nginx():
    # .ci/run installs nginx from Debian; a local run without it skips these tests.
    require(bool(shutil.which("nginx")), "nginx (apt-get install nginx)")


class Echo(BaseHTTPRequestHandler):
    """An app server that answers with the headers it was given."""

    posts = 0

    def _answer(self) -> None:
        if self.command == "POST":
            Echo.posts += 1
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


def _dropping_server() -> tuple[socket.socket, int]:
    """An app server that dies mid-request: it reads the request, then resets the connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def proxy(tmp_path):
    echo = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    dropping, dropping_port = _dropping_server()
    port = _free_port()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.3f2a1b.css").write_text("body{}")
    conf = tmp_path / "nginx.conf"
    # As root, nginx's workers would run as nobody, who cannot read pytest's folders.
    conf.write_text(
        f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  client_body_temp_path {tmp_path}/body;
  proxy_temp_path {tmp_path}/proxy;
  fastcgi_temp_path {tmp_path}/fastcgi;
  uwsgi_temp_path {tmp_path}/uwsgi;
  scgi_temp_path {tmp_path}/scgi;
  include {DEPLOY}/careatlas-http.conf;
  upstream careatlas {{
    server 127.0.0.1:{dropping_port} max_fails=3 fail_timeout=10s;
    server 127.0.0.1:{echo.server_address[1]} max_fails=3 fail_timeout=10s;
  }}
  server {{
    listen 127.0.0.1:{port};
    set $careatlas_static {tmp_path}/static;
    access_log {tmp_path}/access.log careatlas_json;
    include {DEPLOY}/careatlas-proxy.conf;
  }}
}}
"""
    )
    nginx = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield port, tmp_path
    nginx.terminate()
    nginx.wait(timeout=10)
    echo.shutdown()
    dropping.close()


def _request(port: int, method: str, path: str, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        method, path, body=b"fact=other" if method == "POST" else None, headers=headers
    )
    response = connection.getresponse()
    return response, response.read()


def test_a_get_dropped_by_one_server_is_answered_by_the_other_but_a_post_is_not_resent(proxy):
    port, _ = proxy
    # Round robin sends about half of the requests to the server that drops them.
    answers = [_request(port, "GET", "/providers/")[0].status for _ in range(2)]
    assert answers == [200, 200]
    Echo.posts = 0
    posts = [_request(port, "POST", "/providers/1234567893/report/")[0].status for _ in range(4)]
    # A POST the dropping server took is answered 502, never sent again to the other one.
    assert 502 in posts
    assert Echo.posts == posts.count(200)


def test_the_app_gets_the_request_id_and_client_address_nginx_logs(proxy):
    port, folder = proxy
    response, body = _request(
        port,
        "GET",
        "/consultations/status/Secret-Token-123/?q=my+sore+back",
        **{"X-Forwarded-For": "203.0.113.9", "X-Request-ID": "chosen-by-the-client"},
    )
    seen = json.loads(body)["headers"]
    assert len(seen["X-Request-ID"]) == 32 and seen["X-Request-ID"] != "chosen-by-the-client"
    assert response.getheader("X-Request-ID") == seen["X-Request-ID"]
    # TRUSTED_PROXY_COUNT=2 (a load balancer, then nginx) would take 203.0.113.9.
    assert seen["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"
    time.sleep(0.2)
    lines = [json.loads(line) for line in (folder / "access.log").read_text().splitlines()]
    (line,) = [entry for entry in lines if entry["request_id"] == seen["X-Request-ID"]]
    assert line["uri"] == "/consultations/status/[secret]/"
    logged = (folder / "access.log").read_text()
    assert "Secret-Token-123" not in logged and "sore" not in logged


def test_metrics_are_closed_and_hashed_static_files_kept_a_year(proxy):
    port, _ = proxy
    assert _request(port, "GET", "/metrics")[0].status == 404
    response, body = _request(port, "GET", "/static/site.3f2a1b.css")
    assert body == b"body{}"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
