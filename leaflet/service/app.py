"""The HTTP service (``leaflet serve``): a Starlette application over the build processes.

Endpoints (README, "The service"): ``GET /health``, ``GET /leaflets``, ``POST
/leaflets/{leaflet}/{language}`` (a prescription as JSON or a FHIR Bundle -> personalised PDF),
``POST /build`` (content YAML -> PDF, or 422 with the diagnostics), ``GET /`` (the form).

Safety: a bearer token (compared in constant time) guards every endpoint but the health check
and the form's own files; request bodies are limited in size, requests in time (waiting
not counted) and builds in number (a fair queue in front of the build processes); leaflet ids
and languages are looked up in the library's listing, never joined into a path. Nothing a
request carries is logged or echoed in an error: a log line says the method, the route (its
template, not the address asked for), the status and the time taken.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..resources import available_themes
from . import form
from .brands import load_brands
from .library import ANY_CASE_LANGUAGE, LEAFLET_ID, Library, language_info
from .workers import Busy, Pool, TimedOut, WorkerFailed

if TYPE_CHECKING:
    from ..content.brand import BrandDocument

log = logging.getLogger("leaflet.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

OPEN_PATHS = ("/", "/health", "/form.js", "/form.css")  # and /form/strings/{language}: no data in them
JSON_TYPES = ("application/json", "application/fhir+json")
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}


@dataclass(frozen=True)
class Settings:
    """What ``leaflet serve`` is started with (README, "The service", for each)."""

    library: Path = Path("content")
    token: str | None = None  # required when set: Authorization: Bearer TOKEN
    max_body: int = 1 << 20  # bytes of a request body
    timeout: float = 60.0  # seconds to receive a request's body, and again to build it (not counting the queue)
    workers: int = 1  # build processes
    max_queue: int = 1000  # requests that may wait for a build process; more get 503 at once
    warm: bool = True  # build a leaflet in each process before serving (the first build loads fonts)
    address: str = ""  # where it listens: announced on standard output once it is ready
    # (id, brand file) of each --brand, the first the default: printed on every leaflet served (?brand=ID)
    brands: tuple[tuple[str, str], ...] = ()


def error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    """An error answer: ``{"error": code, "message": ...}``; never a value from the request."""
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status,
                        headers={"cache-control": "no-store"})


class TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused past ``limit`` bytes (before reading, when it says its length)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise TooLarge()
        if int(declared) > limit:
            raise TooLarge()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def route_of(path: str) -> str:
    """The route a path asks for, as logged: its template, never the leaflet or value asked for."""
    if path in OPEN_PATHS or path in ("/leaflets", "/build"):
        return path
    if path.startswith("/leaflets/"):
        return "/leaflets/{leaflet}/{language}"
    if path.startswith("/form/strings/"):
        return "/form/strings/{language}"
    return "(other)"


class Guard:
    """ASGI middleware: the token, security headers and the one log line per request."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token.encode("utf-8") if token else None

    def authorised(self, scope: Scope) -> bool:
        if self.token is None:
            return True
        path = scope.get("path", "")
        if scope.get("method") == "GET" and (path in OPEN_PATHS or path.startswith("/form/strings/")):
            return True
        header = b""
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                header = value
                break
        scheme, _, given = header.partition(b" ")
        # compare_digest takes as long whatever the token given (a wrong scheme compares too)
        match = hmac.compare_digest(given.strip(), self.token)
        return match and scheme.lower() == b"bearer"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            if self.authorised(scope):
                await self.app(scope, receive, sending)
            else:
                response = error(401, "unauthorised", "this service needs a token: send the header "
                                 "'Authorization: Bearer TOKEN' with the token it was started with")
                response.headers["www-authenticate"] = 'Bearer realm="leaflet"'
                await response(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - answered already (500); not re-raised, for the server's log
            # would print its traceback, and an exception's message could quote the request
            log.error("internal error: %s", type(exc).__name__)
        finally:
            log.info("%s %s %d %.0f ms", scope.get("method", "-"), route_of(scope.get("path", "")), status,
                     (time.monotonic() - started) * 1000)


def _options(request: Request, brands: Sequence[str]) -> tuple[str, str, str] | Response:
    """``?paper=``, ``?theme=`` (a bundled theme's name only, never a path to a file) and
    ``?brand=`` (the id of a brand the service was started with; default: the first, or none)."""
    unknown = sorted(set(request.query_params) - {"paper", "theme", "brand"})
    if unknown:
        return error(400, "usage", "unknown query parameter; the only ones are paper, theme and brand")
    paper = request.query_params.get("paper", "a4")
    theme = request.query_params.get("theme", "default")
    if theme not in available_themes():
        return error(400, "usage", f"theme must be one of: {', '.join(available_themes())}")
    if not paper.isascii() or not paper.isalnum():
        return error(400, "usage", "paper must be a paper size such as a4 or letter")
    brand = request.query_params.get("brand")
    if brand is None:
        return paper, theme, brands[0] if brands else ""
    if brand not in brands:  # the id asked for is not named back
        if not brands:
            return error(400, "usage", "this service has no brands (leaflet serve --brand ID=BRAND.yaml)")
        return error(400, "usage", f"brand must be one of: {', '.join(brands)}")
    return paper, theme, brand


def _answer(answer: tuple[Any, ...], filename: str) -> Response:
    kind = answer[0]
    if kind == "pdf":
        return Response(answer[1], media_type="application/pdf", headers={
            "content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"})
    if kind == "diagnostics":
        problems = answer[1]
        n = len(problems)
        return error(422, "content", f"{n} problem{'s' if n != 1 else ''} found", diagnostics=problems)
    if kind == "usage":
        return error(400, "usage", answer[1])
    log.error("a build failed with %s", answer[1])  # the kind only: its message could quote a prescription
    return error(500, "internal", "the build failed: this is a bug in leaflet (the service's log says which kind)")


class Service:
    def __init__(self, settings: Settings, brands: dict[str, BrandDocument] | None = None) -> None:
        self.settings = settings
        self.library = Library(settings.library)
        # the brands, checked (before the service listens: leaflet serve); each build process gets them as they are
        self.brands = load_brands(settings.brands, self.library) if brands is None else brands
        self.pool = Pool(settings.workers, max_queue=settings.max_queue,
                         warm={"leaflet": self.library.first() if settings.warm else None, "brands": self.brands})

    async def _run(self, request: Request, job: str, make_args: Callable[[bytes], tuple[Any, ...]],
                   filename: str) -> Response:
        try:
            try:
                async with asyncio.timeout(self.settings.timeout):
                    body = await read_body(request, self.settings.max_body)
            except TimeoutError:
                raise TimedOut() from None
            answer = await self.pool.run(job, make_args(body), self.settings.timeout)
        except TooLarge:
            return error(413, "too-large", f"the request body is larger than the limit of {self.settings.max_body} "
                         "bytes (leaflet serve --max-body)")
        except ClientDisconnect:
            return Response(status_code=400)
        except Busy:
            return _busy()
        except TimedOut:
            return error(503, "timeout", f"the request or its build took longer than the limit of "
                         f"{self.settings.timeout:g} s (leaflet serve --timeout)")
        except WorkerFailed:
            return error(500, "internal", "the build process ended unexpectedly; try again")
        return _answer(answer, filename)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "workers": self.settings.workers, "queued": self.pool.queued},
                            headers={"cache-control": "no-store"})

    async def leaflets(self, request: Request) -> Response:
        listing = self.library.listing()
        brands = [{"id": brand_id, "name": brand.brand.name} for brand_id, brand in self.brands.items()]
        return JSONResponse({"leaflets": [{"id": name, "languages": [dict(language_info(lang)) for lang in languages]}
                                          for name, languages in listing.items()], "brands": brands})

    async def personalised(self, request: Request) -> Response:
        leaflet, asked = request.path_params["leaflet"], request.path_params["language"]
        # the language in any case (EN, en-gb): the translation's own tag from here on
        found = self.library.lookup(leaflet, asked) if LEAFLET_ID.fullmatch(leaflet) else None
        if found is None:  # the id is not named back: it could be anything
            return error(404, "not-found", "no such leaflet in that language in the library; GET /leaflets lists them")
        language, path = found
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in JSON_TYPES:
            xml = media in ("application/fhir+xml", "application/xml", "text/xml")
            return error(415, "media-type", ("FHIR XML is not read: send the Bundle as FHIR JSON (Content-Type: "
                                             "application/fhir+json)") if xml else (
                "send the prescription as JSON (Content-Type: application/json, or application/fhir+json for "
                "a FHIR Bundle)"))
        options = _options(request, list(self.brands))
        if isinstance(options, Response):
            return options
        paper, theme, brand = options
        limit = self.settings.max_body
        return await self._run(request, "personalised",
                               lambda body: (path, body, language, paper, theme, limit, brand), f"{leaflet}-{language}.pdf")

    async def build(self, request: Request) -> Response:
        options = _options(request, list(self.brands))
        if isinstance(options, Response):
            return options
        paper, theme, brand = options
        limit = self.settings.max_body
        return await self._run(request, "build", lambda body: (body, paper, theme, limit, brand), "leaflet.pdf")

    async def index(self, request: Request) -> Response:
        return HTMLResponse(form.page(self.settings.token is not None), headers={"cache-control": "no-store"})

    async def strings(self, request: Request) -> Response:
        from ..personal.model import canonical_language

        language = request.path_params["language"]
        if not ANY_CASE_LANGUAGE.fullmatch(language):
            return error(404, "not-found", "not a language tag")
        return JSONResponse(form.strings(canonical_language(language)))  # in any case, as a tag is

    async def script(self, request: Request) -> Response:
        return Response(form.asset("form.js"), media_type="text/javascript; charset=utf-8")

    async def style(self, request: Request) -> Response:
        return Response(form.asset("form.css"), media_type="text/css; charset=utf-8")


def _busy() -> Response:
    response = error(503, "busy", "the service has too many requests waiting; try again shortly")
    response.headers["retry-after"] = "1"
    return response


async def _not_found(request: Request, exc: Exception) -> Response:
    return error(404, "not-found", "no such endpoint: GET /, /health, /leaflets; POST /leaflets/{leaflet}/{language}, "
                 "/build")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return error(405, "method", "this endpoint does not take that method")


async def _internal(request: Request, exc: Exception) -> Response:
    log.error("internal error: %s", type(exc).__name__)  # never its message: it could quote the request
    return error(500, "internal", "internal error: this is a bug in leaflet")


def create_app(settings: Settings, brands: dict[str, BrandDocument] | None = None) -> ASGIApp:
    """The service as an ASGI application (its build processes start with it, in its lifespan).
    ``brands``: the brands of ``settings.brands`` already checked (:func:`leaflet.service.brands.load_brands`);
    without it they are read and checked here (a ContentError for a bad one)."""
    service = Service(settings, brands)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await service.pool.start()
        if settings.address:
            branded = f", brand{'s' if len(service.brands) != 1 else ''} {', '.join(service.brands)}" \
                if service.brands else ""
            print(f"leaflet serve: ready on {settings.address} ({settings.workers} build process"
                  f"{'es' if settings.workers != 1 else ''}, library {settings.library}{branded})", flush=True)
        try:
            yield
        finally:
            await service.pool.stop()

    routes = [
        Route("/", service.index, methods=["GET"]),
        Route("/form.js", service.script, methods=["GET"]),
        Route("/form.css", service.style, methods=["GET"]),
        Route("/form/strings/{language}", service.strings, methods=["GET"]),
        Route("/health", service.health, methods=["GET"]),
        Route("/leaflets", service.leaflets, methods=["GET"]),
        Route("/leaflets/{leaflet}/{language}", service.personalised, methods=["POST"]),
        Route("/build", service.build, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={404: _not_found, 405: _not_allowed, 500: _internal, Exception: _internal})
    app.state.service = service
    return Guard(app, settings.token)
