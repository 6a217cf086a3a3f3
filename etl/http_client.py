"""HTTP for the pulls: one hardened client shared by every API a pull reads (requests underneath).

What holds for every exchange, whichever API:
- https only; plain http is allowed for a loopback address (127.0.0.1, ::1, localhost: tests);
- redirects are never followed: credentials ride on every request, so a 3xx answer ends the pull;
- a next-page link must stay on the configured scheme, host and port, must not repeat, and a list
  stops after `max_pages` pages;
- each exchange, from connecting to the last byte, ends within `deadline` seconds, and an answer
  larger than MAX_BODY_BYTES is refused;
- 429 answers are waited out (Retry-After when given, capped), 5xx answers, network errors and
  overrun deadlines are retried with doubling pauses; each attempt is signed afresh, so a token
  refreshed during a long wait is the one sent;
- what the server said is only ever shown trimmed, with credentials and token-like values
  replaced by [redacted] and control characters escaped.

    client = Client("Lever", "https://api.lever.co/v1", secrets=[key])
    for records in client.pages(first_url, "GET users", get_page):
        ...
"""

import email.utils
import ipaddress
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import requests

MAX_RETRIES = 5             # per request, for 5xx answers, network errors and overrun deadlines
MAX_RATE_LIMIT_WAITS = 10   # consecutive 429 answers to one request
BACKOFF_SECONDS = 1.0       # first retry delay; doubles each time
MAX_WAIT_SECONDS = 600.0    # never trust a rate-limit header to park us longer than this
CONNECT_SECONDS = 10.0
READ_SECONDS = 60.0         # the longest silence within an exchange
DEADLINE_SECONDS = 120.0    # the longest whole exchange, however steadily the bytes drip
MAX_BODY_BYTES = 256 * 2**20
MAX_PAGES = 100_000         # per list: 50 million Harvest records, 10 million Lever ones
SNIPPET_CHARS = 200
USER_AGENT = f"reciprocal-etl (python-requests {requests.__version__})"
LOOPBACK_NAMES = {"localhost"}


class PullError(Exception):
    """A problem that ends the pull with one line for the user and an exit code
    (1: the service or the network failed, rerun later; 2: something to fix first)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]   # lower-case names
    body: bytes


class Overrun(Exception):
    """An exchange that did not finish within the deadline."""


# ---------------------------------------------------------------- addresses


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secure_address(url: str, setting: str) -> str:
    """The URL of an endpoint credentials are sent to, or PullError (exit 2) when it is not
    https (plain http only to a loopback address) or has no host."""
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname or parts.scheme not in ("https", "http"):
        raise PullError(f"{setting} is not an http(s) address: {url!r}.", exit_code=2)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise PullError(f"{setting} must be an https address (credentials never travel over plain "
                        f"http, except to a loopback address for tests): {url}", exit_code=2)
    if parts.username or parts.password:
        raise PullError(f"{setting} must not carry a user name or password; credentials come from "
                        "their own environment variables.", exit_code=2)
    return url


def origin_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def where(url: str) -> str:
    """The scheme, host and port of a URL, for messages (never its path or query)."""
    scheme, host, port = origin_of(url)
    return f"{scheme}://{host}:{port}" if host else repr(url[:60])


# ---------------------------------------------------------------- what the server said


_CREDENTIAL = re.compile(
    r"""(?ix)
    (\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+
    | ((?:access_token|refresh_token|id_token|token|client_secret|secret|api_?key|password
        |authorization)"?'?\s*[:=]\s*"?'?)(?:(?:bearer|basic)\s+)?[^"'&,;\s}]+
    """)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Text with every known secret and every credential-looking value replaced by [redacted].

    >>> redact('{"error": "s3cret", "access_token": "abc123"} Bearer xyz', ["s3cret"])
    '{"error": "[redacted]", "access_token": "[redacted]"} Bearer [redacted]'
    """
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return _CREDENTIAL.sub(lambda m: (m.group(1) or m.group(2)) + "[redacted]", text)


def printable(text: str) -> str:
    """Control characters (terminal escapes included) shown as escapes, never sent raw."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def snippet(body: bytes, secrets: Iterable[str] = (), limit: int = SNIPPET_CHARS) -> str:
    """A server's answer as one short, redacted, printable line."""
    text = redact(" ".join(body.decode("utf-8", "replace").split()), secrets)
    text = printable(text)
    return (text[:limit] + "...") if len(text) > limit else (text or "(empty body)")


# ---------------------------------------------------------------- waits


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), capped."""
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_WAIT_SECONDS)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return min(max(moment - now, 0.0), MAX_WAIT_SECONDS)


def until_reset(value: str | None, now: float) -> float | None:
    """Seconds until an X-RateLimit-Reset time (epoch seconds, or seconds when small), capped."""
    if value is None:
        return None
    try:
        reset = float(value)
    except ValueError:
        return None
    wait = reset - now if reset > 1e9 else reset
    return min(max(wait, 0.0), MAX_WAIT_SECONDS)


# ---------------------------------------------------------------- the client


class Client:
    """GETs and POSTs to one service under the rules above; `secrets` are redacted from output."""

    def __init__(self, service: str, base_url: str, secrets: Iterable[str] = (),
                 sleep: Callable[[float], None] = time.sleep, now: Callable[[], float] = time.time,
                 deadline: float | None = None, max_pages: int | None = None):
        self.service, self.base_url = service, base_url
        self.secrets = list(secrets)
        self.sleep, self.now = sleep, now
        self.deadline = deadline or DEADLINE_SECONDS
        self.max_pages = max_pages or MAX_PAGES
        self.session = requests.Session()
        self.session.trust_env = False    # no .netrc credentials, no proxy seeing loopback traffic

    def snippet(self, body: bytes) -> str:
        return snippet(body, self.secrets)

    def send(self, method: str, url: str, what: str, headers: Callable[[], dict[str, str]],
             data: dict | None = None) -> Response:
        """One request, retried as the module says; `headers()` signs each attempt.
        Returns any answer but a redirect, a 429 or a 5xx."""
        failures = rate_limited = 0
        while True:
            try:
                response = self._exchange(method, url, {"User-Agent": USER_AGENT, **headers()}, data)
            except (requests.RequestException, Overrun) as error:
                failures += 1
                self._back_off(failures, what, f"network error: {self._reason(error)}")
                continue
            if 300 <= response.status < 400:
                raise self._redirect_error(response, url, what)
            if response.status == 429:
                rate_limited += 1
                self._wait_out_429(rate_limited, what, response.headers)
            elif response.status >= 500:
                failures += 1
                self._back_off(failures, what, f"HTTP {response.status}: {self.snippet(response.body)}")
            else:
                return response

    def pages(self, first_url: str, what: str,
              get_page: Callable[[str], tuple[list, str | None]]) -> Iterator[list]:
        """Yield each page's records; `get_page(url)` returns (records, next URL or None).
        Next links must stay on the service's scheme, host and port and never repeat."""
        seen: set[str] = set()
        url: str | None = first_url
        while url:
            seen.add(url)
            records, url = get_page(url)
            yield records
            if url is None:
                return
            self._check_next(url, what)
            if url in seen:
                raise PullError(f"{self.service} sent the same next-page link twice for {what}: "
                                "stopping rather than reading the same pages forever.", exit_code=2)
            if len(seen) >= self.max_pages:
                raise PullError(f"{self.service} still had more pages of {what} after "
                                f"{self.max_pages:,}: stopping (the cap guards against a server "
                                "that never ends a list).", exit_code=2)

    def _check_next(self, url: str, what: str) -> None:
        if origin_of(url) != origin_of(self.base_url):
            raise PullError(f"{what}: the next-page link points to {where(url)}, not "
                            f"{where(self.base_url)}; refusing to send credentials there.",
                            exit_code=2)

    def _exchange(self, method: str, url: str, headers: dict, data: dict | None) -> Response:
        """The request and its whole answer within the deadline, read by a worker thread so
        that a server dripping bytes cannot hold the pull past it."""
        box: dict = {}
        worker = threading.Thread(target=self._read, args=(method, url, headers, data, box),
                                  daemon=True, name="pull-exchange")
        worker.start()
        worker.join(self.deadline)
        if worker.is_alive():
            if "raw" in box:
                box["raw"].close()          # ends the worker's read
            raise Overrun(f"no complete answer within {self.deadline:g} s")
        if "error" in box:
            raise box["error"]
        return box["response"]

    def _read(self, method: str, url: str, headers: dict, data: dict | None, box: dict) -> None:
        try:
            with self.session.request(method, url, headers=headers, data=data, stream=True,
                                      allow_redirects=False,
                                      timeout=(CONNECT_SECONDS, READ_SECONDS)) as answer:
                box["raw"] = answer
                body = bytearray()
                for chunk in answer.iter_content(64 * 1024):
                    body += chunk
                    if len(body) > MAX_BODY_BYTES:
                        raise PullError(f"{self.service} sent an answer larger than "
                                        f"{MAX_BODY_BYTES // 2**20} MB; refusing to read it.")
                box["response"] = Response(answer.status_code,
                                           {k.lower(): v for k, v in answer.headers.items()},
                                           bytes(body))
        except Exception as error:          # handed to the caller's thread
            box["error"] = error

    def _redirect_error(self, response: Response, url: str, what: str) -> PullError:
        target = urllib.parse.urljoin(url, response.headers.get("location", ""))
        return PullError(f"{self.service} answered {what} with a redirect (HTTP {response.status} "
                         f"to {where(target)}); credentials are never sent on a redirect: "
                         "configure the final address instead.", exit_code=2)

    def _back_off(self, failures: int, what: str, problem: str) -> None:
        if failures > MAX_RETRIES:
            raise PullError(f"{self.service} failed {what} {failures} times in a row ({problem}); "
                            "rerun the same command later to resume.")
        self.sleep(BACKOFF_SECONDS * 2 ** (failures - 1))

    def _wait_out_429(self, waits: int, what: str, headers: dict[str, str]) -> None:
        if waits > MAX_RATE_LIMIT_WAITS:
            raise PullError(f"{self.service} kept rate-limiting {what} (HTTP 429 {waits} times); "
                            "rerun the same command later to resume.")
        delay = retry_after(headers.get("retry-after"), self.now())
        self.sleep(delay if delay is not None else BACKOFF_SECONDS * 2 ** (waits - 1))

    def _reason(self, error: Exception) -> str:
        reason = str(error) or type(error).__name__
        if isinstance(error, requests.ConnectionError):
            reason = "could not connect" if "Connection refused" in reason or isinstance(
                error, requests.ConnectTimeout) else "the connection failed"
        elif isinstance(error, requests.Timeout):
            reason = f"no answer within {READ_SECONDS:g} s"
        return printable(redact(reason, self.secrets))[:SNIPPET_CHARS]
