"""``ruralsim dashboard`` (app/cli_dashboard.py) keeps to this machine and off the internet: a port in use
is a one-line error before "dashboard at ...", a non-loopback --host is warned about, solara's CDN proxy
answers 404 at once, and requests with a foreign Host (or WebSocket Origin) are refused (DNS rebinding)."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ruralsim.app import cli_dashboard as D  # noqa: E402

pytestmark = pytest.mark.timeout(300)


def _ruralsim() -> list[str]:
    here = Path(sys.executable).parent / "ruralsim"
    return [str(here)] if here.exists() else [sys.executable, "-m", "ruralsim.app.cli"]


def _env() -> dict:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": os.pathsep.join(sys.path)}


def _free_port(host="127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


# --- without a server -------------------------------------------------------------------------------

def test_loopback_names():
    assert all(D.is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(D.is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.4", "example.org"))
    assert D.allowed_hosts("127.0.0.1", 8765) == {"127.0.0.1:8765", "localhost:8765", "[::1]:8765"}


def _call(guard, kind, path, headers):
    sent, reached = [], []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    guard.app = app
    scope = {"type": kind, "path": path, "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(guard(scope, receive, send))
    return (sent[0].get("status") or sent[0].get("type")) if sent else None, bool(reached)


def test_guard_refuses_cdn_foreign_host_and_foreign_origin(tmp_path):
    cdn = tmp_path / "cdn"
    (cdn / "x@1.0.0").mkdir(parents=True)
    (cdn / "x@1.0.0" / "here.js").write_text("//")
    (tmp_path / "secret").write_text("no")
    guard = D.LocalOnly(None, D.allowed_hosts("127.0.0.1", 8765), cdn)
    good = {"host": "127.0.0.1:8765"}
    assert _call(guard, "http", "/", good) == (None, True)
    assert _call(guard, "http", "/", {"host": "localhost:8765"}) == (None, True)
    assert _call(guard, "http", "/_solara/cdn/x@1.0.0/here.js", good) == (None, True)  # the local copy
    assert _call(guard, "http", "/_solara/cdn/x@1.0.0/a.js", good) == (404, False)  # would be downloaded
    assert _call(guard, "http", "/_solara/cdn/x@1.0.0/../../secret", good) == (404, False)
    assert _call(guard, "http", "/_solara/cdn/x@2.0.0", good) == (404, False)
    assert _call(guard, "http", "/", {"host": "evil.example:8765"}) == (403, False)
    assert _call(guard, "http", "/", {"host": "127.0.0.1:9999"}) == (403, False)
    assert _call(guard, "http", "/", {}) == (403, False)
    ws = "/jupyter/api/kernels/k/channels"
    assert _call(guard, "websocket", ws, {**good, "origin": "http://127.0.0.1:8765"}) == (None, True)
    assert _call(guard, "websocket", ws, {**good, "origin": "http://evil.example"}) == ("websocket.close", False)
    assert _call(guard, "websocket", ws, good) == ("websocket.close", False)
    # bound to another interface: no Host check (names unknown), still no CDN
    open_guard = D.LocalOnly(None, None)
    assert _call(open_guard, "http", "/", {"host": "dashboard.lan:8765"}) == (None, True)
    assert _call(open_guard, "http", "/_solara/cdn/x", {"host": "dashboard.lan:8765"}) == (404, False)


def _dashboard(*args, timeout=120):
    return subprocess.run([*_ruralsim(), "dashboard", *args], capture_output=True, text=True, timeout=timeout,
                          env=_env(), cwd=ROOT)


def test_port_in_use_is_a_one_line_error_before_serving():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = _dashboard("--port", str(port))
    errors = [line for line in r.stderr.splitlines() if line.startswith("ruralsim:")]
    assert r.returncode != 0
    assert errors == [f"ruralsim: error: port {port} on 127.0.0.1 is already in use (choose another with --port, "
                      "or --port 0 for a free one)"], r.stderr
    assert "dashboard at" not in r.stderr


def test_non_loopback_host_is_warned_about():
    with socket.socket() as s:  # taken, so that the command stops before serving every interface
        s.bind(("0.0.0.0", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = _dashboard("--host", "0.0.0.0", "--port", str(port))
    lines = [line for line in r.stderr.splitlines() if line.startswith("ruralsim:")]
    assert r.returncode != 0 and len(lines) == 2, r.stderr
    assert lines[0].startswith("ruralsim: warning: --host 0.0.0.0 is not a loopback address")
    assert "already in use" in lines[1]


def test_unknown_host_is_a_one_line_error():
    r = _dashboard("--host", "no-such-host.invalid", "--port", "0")
    assert r.returncode != 0
    assert r.stderr.strip().splitlines()[-1].startswith("ruralsim: error: cannot serve on --host no-such-host")
    assert "dashboard at" not in r.stderr


# --- a served dashboard -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    pytest.importorskip("solara", reason="needs the dashboard extra")
    pytest.importorskip("mesa.visualization", reason="needs the dashboard extra")
    port = _free_port()
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*_ruralsim(), "dashboard", "--port", str(port)], cwd=ROOT, env=_env(),
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        t0 = time.monotonic()
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ruralsim dashboard exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                if _get(port, "/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() - t0 > 120:
                pytest.fail(f"no answer within 120 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield port
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


def _get(port, path, host=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _upgrade(port, origin, host=None) -> str:
    """The status line answering a WebSocket upgrade to solara's kernel channel."""
    request = (f"GET /jupyter/api/kernels/k/channels?session_id=s HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        return s.recv(4096).decode("latin-1").split("\r\n")[0]


def test_served_cdn_proxy_answers_404_at_once(served):
    t0 = time.monotonic()
    status, _ = _get(served, "/_solara/cdn/@widgetti/solara-vuetify-app@10.1.1/dist/not-installed.js")
    assert status == 404 and time.monotonic() - t0 < 2
    status, _ = _get(served, "/_solara/cdn/left-pad@1.3.0")  # a package solara-assets does not have
    assert status == 404 and time.monotonic() - t0 < 4
    assert _get(served, "/_solara/cdn/requirejs@2.3.6/require.js")[0] == 200  # installed with solara-assets


def test_served_page_refuses_foreign_host(served):
    assert _get(served, "/")[0] == 200
    assert _get(served, "/", host=f"localhost:{served}")[0] == 200
    assert _get(served, "/", host=f"rebound.example:{served}")[0] == 403


def test_served_websocket_refuses_foreign_origin(served):
    assert " 403 " in _upgrade(served, "http://rebound.example") + " "
    assert " 403 " in _upgrade(served, f"http://127.0.0.1:{served}", host=f"rebound.example:{served}") + " "
    assert " 403 " not in _upgrade(served, f"http://127.0.0.1:{served}") + " "
