"""``leaflet serve``: the service on a socket, with uvicorn.

Binding beyond the loopback interface needs a token (``LEAFLET_SERVE_TOKEN`` or ``--token-file``):
without one the service refuses to start. uvicorn's access log is off (it would log each
request's address, query included); the service logs one line per request itself, without
anything the request carried (see :mod:`leaflet.service.app`).
"""
from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
from pathlib import Path

from ..errors import UsageError
from .app import Settings, create_app
from .brands import load_brands
from .library import Library

TOKEN_ENV = "LEAFLET_SERVE_TOKEN"
MIN_TOKEN = 16  # characters: a token shorter than this is guessable


def is_loopback(host: str) -> bool:
    """Does ``host`` name only this machine (127.0.0.0/8, ::1, localhost)?"""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(token_file: str | None, environ: dict[str, str] | None = None) -> str | None:
    """The token from ``--token-file`` or ``$LEAFLET_SERVE_TOKEN`` (never from the command line,
    where every user of the machine could read it in the process list)."""
    environ = dict(os.environ) if environ is None else environ
    if token_file is not None:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--token-file {token_file}: cannot read it: {getattr(exc, 'strerror', None) or exc}") \
                from None
        where = f"--token-file {token_file}"
    else:
        token = environ.get(TOKEN_ENV, "").strip()
        where = f"${TOKEN_ENV}"
        if not token:
            return None
    if len(token) < MIN_TOKEN or any(ch.isspace() or not ch.isprintable() for ch in token):
        raise UsageError(f"the token in {where} must be at least {MIN_TOKEN} characters, without spaces "
                         "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return token


def check_binding(host: str, token: str | None) -> None:
    if token is None and not is_loopback(host):
        raise UsageError(f"--host {host} listens beyond this machine: the service then needs a token. Set "
                         f"{TOKEN_ENV} (or --token-file FILE) to a secret of at least {MIN_TOKEN} characters; "
                         "clients send it as 'Authorization: Bearer TOKEN'")


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, or a UsageError saying why not (the address in use, a bad host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: not an address of this machine ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("leaflet.service", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # off as well as not configured


def serve(settings: Settings, host: str, port: int) -> int:
    """Run the service until SIGINT or SIGTERM; returns the exit status."""
    import uvicorn

    check_binding(host, settings.token)
    # the brands' problems (file:line:col) stop the service before it listens; the library must be there
    brands = load_brands(settings.brands, Library(settings.library))
    sock = listen(host, port)
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    settings = Settings(**{**settings.__dict__, "address": f"http://{shown}:{bound[1]}/"})
    configure_logging()
    app = create_app(settings, brands)
    config = uvicorn.Config(app, access_log=False, log_config=None, lifespan="on", server_header=False,
                            timeout_keep_alive=5, timeout_graceful_shutdown=10, h11_max_incomplete_event_size=16384)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    return 0 if server.started else 1
