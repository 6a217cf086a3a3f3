"""A local stand-in for the Greenhouse token endpoint and Harvest v3 list endpoints.

It serves `data` ({resource: [records]}) on 127.0.0.1 (port 0, in a thread) the way Harvest v3
does: OAuth client credentials at /token, bare JSON arrays at /v3/<resource>, `per_page` and
`updated_at=gte|<time>` on the first request only, cursor pagination through the Link header
(a request with `cursor` and any other parameter is refused with 422, as Harvest does), and
X-RateLimit-* headers. Knobs inject the failures a real pull meets:

    with FakeHarvest(data, page_size=2) as harvest:
        harvest.fail_once[("applications", 2)] = [429]   # page 2 answers 429 once, then works
        harvest.broken.add(("notes", 2))                  # page 2 of notes answers 500 forever
        harvest.token_uses = 10                           # a token dies after 10 API calls
        harvest.redirects["/token"] = catcher.url("/token")  # answers 302 to another host
        harvest.next_links["jobs"] = harvest.api_url + "/jobs?cursor=same"  # a list without end
        harvest.drip.add("users")                         # sends its answer a byte at a time
        harvest.echo.add("offers")                        # answers 400 echoing the request
        ...GREENHOUSE_AUTH_URL=harvest.auth_url, GREENHOUSE_API_URL=harvest.api_url...

`harvest.log` records every request (path, query, status) for assertions. `Catcher` is a second
host on 127.0.0.1 that answers 200 to anything and logs what it was sent, credentials included.
"""

import base64
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler

from tests.loopback import Loopback

CLIENT_ID, CLIENT_SECRET, USER_ID = "test-client", "test-secret", "9001"
MAX_PER_PAGE = 500


@dataclass
class Logged:
    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    token: str | None = None
    records: int | None = None              # records served, for list answers


@dataclass
class FakeHarvest(Loopback):
    data: dict[str, list[dict]]
    page_size: int = 2                      # the most records a page holds, whatever per_page says
    token_ttl: int = 3600                   # expires_in of issued tokens
    token_uses: int | None = None           # API calls a token survives (server-side expiry)
    reject_tokens: bool = False             # every API call answers 401
    retry_after: str = "3"                  # Retry-After sent with an injected 429
    rate_limit_reset: float = 0             # X-RateLimit-Reset sent with every answer
    exhaust_rate_limit_on: set[int] = field(default_factory=set)  # API call numbers with Remaining 0
    fail_once: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    broken: set[tuple[str, int]] = field(default_factory=set)     # (resource, page) -> 500 forever
    forbidden: set[str] = field(default_factory=set)              # resources answering 403
    redirects: dict[str, str] = field(default_factory=dict)       # path -> 302 Location
    next_links: dict[str, str] = field(default_factory=dict)      # resource -> its every next link
    drip: set[str] = field(default_factory=set)                   # resources dripping their body
    echo: set[str] = field(default_factory=set)                   # resources echoing with 400
    log: list[Logged] = field(default_factory=list)
    tokens_issued: int = 0

    def __post_init__(self):
        self._uses: dict[str, int] = {}
        self._api_calls = 0
        self.serve(_handler_for(self))

    @property
    def base_url(self) -> str:
        return self.origin

    @property
    def auth_url(self) -> str:
        return f"{self.base_url}/token"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v3"

    def api_requests(self, resource: str | None = None) -> list[Logged]:
        """Logged list-endpoint requests, optionally of one resource."""
        prefix = "/v3/" + (resource or "")
        return [r for r in self.log if r.path.startswith(prefix)
                and (resource is None or r.path == prefix)]

    # -- token endpoint

    def issue_token(self, authorization: str, form: dict[str, list[str]]) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if authorization != expected:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != ["client_credentials"] or form.get("sub") != [USER_ID]:
            return 400, {"error": "invalid_request"}
        self.tokens_issued += 1
        token = f"token-{self.tokens_issued}"
        self._uses[token] = 0
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}

    # -- list endpoints

    def list_page(self, resource: str, query: dict[str, list[str]], token: str | None):
        """(status, headers, body) for GET /v3/<resource>."""
        if not self._token_ok(token):
            return 401, {}, {"error": "invalid_token"}
        self._api_calls += 1
        headers = self._rate_limit_headers()
        if resource in self.forbidden:
            return 403, headers, {"error": f"missing scope harvest:{resource}:list"}
        if resource in self.echo:
            return 400, headers, {"error": "\x1b[31mbad request\x1b[0m",
                                  "request": {"Authorization": f"Bearer {token}"}}
        if resource not in self.data:
            return 404, headers, {"error": "not found"}
        try:
            offset, per_page, since = _position(query)
        except ValueError as problem:
            return 422, headers, {"error": str(problem)}
        return self._page(resource, offset, per_page, since, headers)

    def _page(self, resource, offset, per_page, since, headers):
        size = min(per_page, self.page_size)
        page_number = offset // size + 1
        injected = self.fail_once.get((resource, page_number))
        if injected:
            status = injected.pop(0)
            extra = {"Retry-After": self.retry_after} if status == 429 else {}
            return status, {**headers, **extra}, {"error": f"injected {status}"}
        if (resource, page_number) in self.broken:
            return 500, headers, {"error": "internal server error"}
        records = [r for r in self.data[resource] if since is None or _updated(r) >= since]
        page = records[offset:offset + size]
        if offset + size < len(records):
            cursor = _cursor(offset + size, per_page, since)
            headers["Link"] = f'<{self.api_url}/{resource}?cursor={cursor}>; rel="next"'
        if resource in self.next_links:
            headers["Link"] = f'<{self.next_links[resource]}>; rel="next"'
        return 200, headers, page

    def _token_ok(self, token: str | None) -> bool:
        if self.reject_tokens or token not in self._uses:
            return False
        if self.token_uses is not None and self._uses[token] >= self.token_uses:
            return False
        self._uses[token] += 1
        return True

    def _rate_limit_headers(self) -> dict[str, str]:
        remaining = 0 if self._api_calls in self.exhaust_rate_limit_on else 49
        return {"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(int(self.rate_limit_reset))}


def _position(query: dict[str, list[str]]) -> tuple[int, int, datetime | None]:
    """(offset, per_page, since) from a first request or a cursor request."""
    if "cursor" in query:
        if len(query) > 1:
            raise ValueError("cursor must be the only query parameter")
        if query["cursor"] == ["same"]:
            return 0, MAX_PER_PAGE, None
        state = json.loads(base64.urlsafe_b64decode(query["cursor"][0]))
        since = datetime.fromisoformat(state["since"]) if state["since"] else None
        return state["offset"], state["per_page"], since
    unknown = set(query) - {"per_page", "updated_at"}
    if unknown:
        raise ValueError(f"unknown parameters: {sorted(unknown)}")
    per_page = int(query.get("per_page", ["100"])[0])
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError("per_page must be between 1 and 500")
    return 0, per_page, _since(query.get("updated_at", [None])[0])


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    operator, _, moment = value.partition("|")
    if operator != "gte":
        raise ValueError(f"unsupported updated_at filter: {value}")
    return datetime.fromisoformat(moment)


def _cursor(offset: int, per_page: int, since: datetime | None) -> str:
    state = {"offset": offset, "per_page": per_page, "since": since.isoformat() if since else None}
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode()


def _updated(record: dict) -> datetime:
    return datetime.fromisoformat(record["updated_at"])


def _handler_for(harvest: FakeHarvest):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            if self.path in harvest.redirects:
                return self._answer(302, {"Location": harvest.redirects[self.path]}, {})
            if self.path != "/token":
                return self._answer(404, {}, {"error": "not found"})
            status, body = harvest.issue_token(self.headers.get("Authorization", ""), form)
            self._answer(status, {}, body)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            token = self.headers.get("Authorization", "").removeprefix("Bearer ") or None
            if url.path in harvest.redirects:
                return self._answer(302, {"Location": harvest.redirects[url.path]}, {}, token)
            if not url.path.startswith("/v3/"):
                return self._answer(404, {}, {"error": "not found"})
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            status, headers, body = harvest.list_page(url.path[4:], query, token)
            self._answer(status, headers, body, token)

        def _answer(self, status, headers, body, token=None):
            url = urllib.parse.urlsplit(self.path)
            served = len(body) if isinstance(body, list) else None
            harvest.log.append(Logged(self.command, url.path, urllib.parse.parse_qs(url.query),
                                      status, token, served))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if url.path[4:] in harvest.drip:
                return _drip(self.wfile, payload)
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    return Handler


def _drip(out, payload: bytes, pause: float = 0.05) -> None:
    """One byte at a time, until the client hangs up."""
    try:
        for byte in payload:
            out.write(bytes([byte]))
            out.flush()
            time.sleep(pause)
    except OSError:
        pass


class Catcher(Loopback):
    """A second host on 127.0.0.1: answers 200 `[]` to anything and logs (method, path, headers)."""

    def __init__(self):
        self.log: list[tuple[str, str, dict[str, str]]] = []
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                catcher.log.append((self.command, self.path, dict(self.headers)))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"[]")

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.serve(Handler)

    def url(self, path: str) -> str:
        return self.origin + path

    def credentials(self) -> list[str]:
        """Every Authorization header and request line it was sent."""
        return [headers.get("Authorization", "") for _, _, headers in self.log]
