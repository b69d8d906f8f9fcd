"""``ruralsim dashboard``: serve the planner's dashboard (app/app.py) with solara's server.

    ruralsim dashboard [--port P] [--host H] [--scenarios DIR]

Registered on the main parser by :func:`add_parsers` (see :mod:`ruralsim.app.cli`). Needs the ``dashboard``
extra (``pip install -e '.[dashboard]'``). The server is bound to 127.0.0.1 unless --host says
otherwise, and makes no request to the internet: solara's telemetry and its version check against
PyPI are switched off, and its front-end assets come from ``solara-assets`` (installed with the extra)
instead of a CDN; requests to solara's CDN proxy (``/_solara/cdn/...``), which would fetch from the
internet on a cache miss, are served only from its local copy (``solara-assets``, solara's cache) and
otherwise get an immediate 404 (:class:`LocalOnly`).

When bound to a loopback address, HTTP requests whose ``Host`` and WebSocket upgrades whose ``Host`` or
``Origin`` is not that address (or ``localhost``) with the bound port are refused (403), so a web page
elsewhere cannot reach the dashboard by DNS rebinding. Another --host gets a warning on stderr: the
page has no login. A port already in use is a one-line error before anything is served.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from ruralsim.experiments.provenance import PROG

from .cli_options import PORT, CliError, setting_arg

DEFAULT_PORT = 8765
APP = "ruralsim.app.app"


def add_parsers(sub) -> None:
    dash = sub.add_parser("dashboard", help="serve the planner's dashboard in the browser (Mesa SolaraViz)",
                          description="Start the dashboard page (reform against baseline, with controls for "
                                      "withdrawal, programmes kept, monitoring, the enterprise + cooperative chain, "
                                      "education, the minimum living guarantee, households and seed) and serve it "
                                      "at http://HOST:PORT until interrupted (Ctrl-C).")
    dash.add_argument("--port", "-p", type=setting_arg(PORT), default=DEFAULT_PORT, metavar="P",
                      help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    dash.add_argument("--host", default="127.0.0.1", metavar="H",
                      help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 serves every interface)")
    dash.add_argument("--scenarios", default=None, metavar="DIR",
                      help="folder of scenario files offered on the page (default: the checkout's scenarios/)")
    dash.set_defaults(func=cmd_dashboard)


def offline_environment(env=None) -> dict:
    """Environment settings that keep solara's server off the internet (set before solara is imported)."""
    env = dict(os.environ if env is None else env)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # solara reports usage to mixpanel by default
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")  # no "runs on Solara" link over the charts
    env.setdefault("SOLARA_THEME_TITLE", "ruralsim dashboard")
    env.setdefault("MPLBACKEND", "Agg")
    return env



def is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` header values of a dashboard bound to loopback ``host``:``port``."""
    names = {host.lower(), "localhost", "127.0.0.1", "[::1]"}
    return {f"{'[' + n + ']' if ':' in n and not n.startswith('[') else n}:{port}" for n in names}


class LocalOnly:
    """ASGI middleware around solara's app: 404 for what solara's CDN proxy would fetch from the internet
    (a file not in ``cdn_dir``, its local copy); with ``hosts`` (loopback binding), 403 for HTTP requests
    whose Host is not one of them and for WebSocket upgrades whose Host or Origin is not one of them."""

    CDN = "/_solara/cdn"

    def __init__(self, app, hosts: set[str] | None = None, cdn_dir: Path | None = None):
        self.app = app
        self.hosts = hosts
        self.cdn_dir = Path(cdn_dir).resolve() if cdn_dir else None
        self.origins = {f"http://{h}" for h in hosts} if hosts else set()

    async def __call__(self, scope, receive, send):
        kind = scope.get("type")
        if kind in ("http", "websocket"):
            path = scope.get("path", "")
            if (path == self.CDN or path.startswith(self.CDN + "/")) and not self._local(path[len(self.CDN) + 1:]):
                return await self._refuse(kind, send, 404, b"not found: this dashboard does not use the internet")
            if self.hosts is not None:
                headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
                ok = headers.get("host", "").lower() in self.hosts
                if ok and kind == "websocket":
                    ok = headers.get("origin", "").lower() in self.origins
                if not ok:
                    return await self._refuse(kind, send, 403, b"forbidden: unexpected Host or Origin")
        await self.app(scope, receive, send)

    def _local(self, rest: str) -> bool:
        """Whether solara's CDN proxy has ``rest`` locally (its lookup, solara.server.cdn_helper.get_path)."""
        if self.cdn_dir is None or not rest:
            return False
        store = rest if "/" in rest else f"{rest}/__main.js"
        try:
            full = (self.cdn_dir / store).resolve()
        except (OSError, ValueError):
            return False
        return full.is_relative_to(self.cdn_dir) and full.is_file()

    @staticmethod
    async def _refuse(kind, send, status: int, body: bytes):
        if kind == "websocket":  # closing before accepting: the server answers the upgrade with 403
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _check_port(host: str, port: int) -> int:
    """The port to serve on (``port``, or a free one when 0); a one-line error if ``host``:``port`` cannot
    be bound (in use, or not an address of this machine)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CliError(f"cannot serve on --host {host}: {exc.strerror or exc}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            s.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CliError(f"port {port} on {host} is already in use (choose another with --port, "
                               "or --port 0 for a free one)") from None
            raise CliError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
        return int(s.getsockname()[1])


def _guard(host: str, port: int) -> None:
    """Wrap the ASGI app uvicorn loads for solara (``solara.server.starlette:app``) in :class:`LocalOnly`.
    (Importing solara's server module earlier than solara's ``run`` would load no page.)"""
    import solara.server.settings
    import solara.settings
    import uvicorn.config

    load = uvicorn.config.import_from_string
    hosts = allowed_hosts(host, port) if is_loopback(host) else None

    def guarded(name):
        app = load(name)
        if name != "solara.server.starlette:app":
            return app
        # the folder solara's CDN proxy serves from (solara-assets installs into it), read once solara is set up
        proxy = solara.settings.assets.proxy
        return LocalOnly(app, hosts, solara.server.settings.assets.proxy_cache_dir if proxy else None)

    uvicorn.config.import_from_string = guarded


def cmd_dashboard(args) -> int:
    if not is_loopback(args.host):
        print(f"{PROG}: warning: --host {args.host} is not a loopback address: anyone who can reach this machine "
              "can use the dashboard (it has no login) and make it run simulations", file=sys.stderr, flush=True)
    port = _check_port(args.host, args.port)  # early: cheap, and before "dashboard at ..."
    if args.scenarios is not None:
        folder = Path(args.scenarios)
        if not folder.is_dir() or not any(folder.glob("*.yaml")):
            raise CliError(f"--scenarios must be a folder of scenario files (*.yaml): {args.scenarios}")
        os.environ["RURALSIM_SCENARIOS"] = str(folder.resolve())
    os.environ.update(offline_environment())
    try:
        import mesa.visualization  # noqa: F401 - needs solara, altair and networkx
        import solara.__main__ as solara_main
    except ImportError as exc:
        raise CliError(f"the dashboard needs the 'dashboard' extra (pip install -e '.[dashboard]'): {exc}") from None
    from .dashboard import scenario_files

    if not scenario_files():
        raise CliError("no scenario files found: run from the checkout or pass --scenarios DIR")
    _guard(args.host, port)
    argv = [APP, "--host", args.host, "--port", str(port), "--production", "--no-open", "--no-check-version",
            "--log-level", "warning", "--log-level-uvicorn", "warning"]
    print(f"{PROG}: dashboard at http://{args.host}:{port} (Ctrl-C stops it)", file=sys.stderr, flush=True)
    try:
        solara_main.run.main(args=argv, prog_name=f"{PROG} dashboard", standalone_mode=False)
    except KeyboardInterrupt:
        pass
    return 0


__all__ = ["add_parsers", "cmd_dashboard", "offline_environment", "LocalOnly", "allowed_hosts", "is_loopback"]
