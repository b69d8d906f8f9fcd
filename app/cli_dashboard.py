"""``ruralsim dashboard``: serve the planner's dashboard (app/app.py) with solara's server.

    ruralsim dashboard [--port P] [--host H] [--scenarios DIR]

Registered on the main parser by :func:`add_parsers` (see :mod:`ruralsim.app.cli`). Needs the ``dashboard``
extra (``pip install -e '.[dashboard]'``). The server is bound to 127.0.0.1 unless --host says
otherwise, and makes no request to the internet: solara's telemetry and its version check against
PyPI are switched off, and its front-end assets come from ``solara-assets`` (installed with the extra)
instead of a CDN.
"""

from __future__ import annotations

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


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def cmd_dashboard(args) -> int:
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
    port = args.port or _free_port(args.host)
    argv = [APP, "--host", args.host, "--port", str(port), "--production", "--no-open", "--no-check-version",
            "--log-level", "warning", "--log-level-uvicorn", "warning"]
    print(f"{PROG}: dashboard at http://{args.host}:{port} (Ctrl-C stops it)", file=sys.stderr, flush=True)
    try:
        solara_main.run.main(args=argv, prog_name=f"{PROG} dashboard", standalone_mode=False)
    except KeyboardInterrupt:
        pass
    return 0


__all__ = ["add_parsers", "cmd_dashboard", "offline_environment"]
