"""`python -m etl pull greenhouse`: fetch a Harvest v3 export straight from the Greenhouse API.

The pull writes one JSON array per list endpoint into a folder, the layout the `greenhouse-v3`
reader loads (docs/vendor-formats.md). Credentials come from the environment only.
Each resource is written to a hidden temporary file and renamed when complete, and a small state
file records the finished resources, so an interrupted pull never leaves a half-written file and
a rerun of the same command continues where it stopped.

    GREENHOUSE_CLIENT_ID=... GREENHOUSE_CLIENT_SECRET=... GREENHOUSE_USER_ID=... \\
        python -m etl pull greenhouse --out exports/greenhouse --load
"""

import argparse
import base64
import email.utils
import http.client
import importlib
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

RESOURCES = (
    "applications", "application_stages", "job_interview_stages", "rejection_details",
    "rejection_reasons", "candidates", "notes", "offers", "interviews", "users", "jobs",
    "job_owners", "departments", "sources",
)
CREDENTIAL_VARS = ("GREENHOUSE_CLIENT_ID", "GREENHOUSE_CLIENT_SECRET", "GREENHOUSE_USER_ID")
DEFAULT_AUTH_URL = "https://auth.greenhouse.io/token"
DEFAULT_API_URL = "https://harvest.greenhouse.io/v3"
STATE_FILE = ".pull-state.json"
PER_PAGE = 500              # Harvest v3 accepts 1-500
MAX_RETRIES = 5             # per request, for 5xx answers and network errors
MAX_RATE_LIMIT_WAITS = 10   # consecutive 429 answers to one request
BACKOFF_SECONDS = 1.0       # first retry delay; doubles each time
MAX_WAIT_SECONDS = 600.0    # never trust a rate-limit header to park us longer than this
TOKEN_MARGIN_SECONDS = 60   # refresh a token this long before it expires
TOKEN_LIFETIME_SECONDS = 3600  # assumed when the token response gives no expiry
TIMEOUT_SECONDS = 60
USER_AGENT = "reciprocal-etl (python urllib)"


class PullError(Exception):
    """A problem that ends the pull with one line for the user and an exit code."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Settings:
    client_id: str
    client_secret: str
    user_id: str
    auth_url: str = DEFAULT_AUTH_URL
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        """Read the credential and the (test-overridable) endpoints from the environment."""
        missing = [name for name in CREDENTIAL_VARS if not env.get(name, "").strip()]
        if missing:
            raise PullError(
                f"Missing environment variable(s) {', '.join(missing)}: the pull reads a Harvest v3 "
                "credential from GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and GREENHOUSE_USER_ID "
                "(see docs/greenhouse-pull.md).", exit_code=2)
        client_id, client_secret, user_id = (env[name].strip() for name in CREDENTIAL_VARS)
        return cls(client_id, client_secret, user_id,
                   env.get("GREENHOUSE_AUTH_URL") or DEFAULT_AUTH_URL,
                   (env.get("GREENHOUSE_API_URL") or DEFAULT_API_URL).rstrip("/"))


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]   # lower-case names
    body: bytes


# ---------------------------------------------------------------- HTTP client


class HarvestClient:
    """Authenticated, rate-limit-aware GETs against Harvest v3 list endpoints."""

    def __init__(self, settings: Settings, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], float] = time.time):
        self.settings, self.sleep, self.now = settings, sleep, now
        self._token: str | None = None
        self._token_expires_at = 0.0

    def pages(self, resource: str, url: str | None) -> Iterator[list]:
        """Yield each page of records, following the Link header's rel="next" URL as given."""
        while url:
            response = self._get(resource, url)
            yield _records(resource, response.body)
            url = _next_link(response.headers.get("link", ""), url)
            if url:
                self._check_same_service(resource, url)

    def _get(self, resource: str, url: str) -> Response:
        response = self._send(lambda: self._api_request(url), f"GET {resource}")
        if response.status == 401:
            self._fetch_token()
            response = self._send(lambda: self._api_request(url), f"GET {resource}")
        _check_api_status(resource, response)
        self._respect_rate_limit(response.headers)
        return response

    def _api_request(self, url: str) -> urllib.request.Request:
        headers = {"Authorization": f"Bearer {self._access_token()}",
                   "Accept": "application/json", "User-Agent": USER_AGENT}
        return urllib.request.Request(url, headers=headers)

    def _access_token(self) -> str:
        if self._token is None or self.now() >= self._token_expires_at - TOKEN_MARGIN_SECONDS:
            self._fetch_token()
        assert self._token is not None  # _fetch_token sets it or raises
        return self._token

    def _fetch_token(self) -> None:
        response = self._send(self._token_request, "the token request")
        if response.status in (400, 401, 403):
            raise PullError(_credential_message(response), exit_code=2)
        if response.status != 200:
            raise PullError(f"The Greenhouse token endpoint answered HTTP {response.status}.")
        payload = _json_object(response.body)
        if not payload.get("access_token"):
            raise PullError("The Greenhouse token endpoint answered without an access_token.")
        self._token = str(payload["access_token"])
        self._token_expires_at = _token_expiry(payload, self.now())

    def _token_request(self) -> urllib.request.Request:
        pair = f"{self.settings.client_id}:{self.settings.client_secret}".encode()
        body = urllib.parse.urlencode(
            {"grant_type": "client_credentials", "sub": self.settings.user_id}).encode()
        headers = {"Authorization": "Basic " + base64.b64encode(pair).decode(),
                   "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/json", "User-Agent": USER_AGENT}
        return urllib.request.Request(self.settings.auth_url, data=body, headers=headers,
                                      method="POST")

    def _send(self, make_request: Callable[[], urllib.request.Request], what: str) -> Response:
        """Send, waiting out 429s and retrying 5xx answers and network errors with backoff."""
        failures = rate_limited = 0
        while True:
            request = make_request()
            try:
                response = _open(request)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                failures += 1
                self._back_off(failures, what, f"network error: {_reason(error)}")
                continue
            if response.status == 429:
                rate_limited += 1
                self._wait_out_429(rate_limited, what, response.headers)
            elif response.status >= 500:
                failures += 1
                self._back_off(failures, what, f"HTTP {response.status}")
            else:
                return response

    def _back_off(self, failures: int, what: str, problem: str) -> None:
        if failures > MAX_RETRIES:
            raise PullError(f"Greenhouse failed {what} {failures} times in a row ({problem}); "
                            "rerun the same command later to resume.")
        self.sleep(BACKOFF_SECONDS * 2 ** (failures - 1))

    def _wait_out_429(self, waits: int, what: str, headers: dict[str, str]) -> None:
        if waits > MAX_RATE_LIMIT_WAITS:
            raise PullError(f"Greenhouse kept rate-limiting {what} (HTTP 429 {waits} times); "
                            "rerun the same command later to resume.")
        delay = _retry_after(headers.get("retry-after"), self.now())
        self.sleep(delay if delay is not None else BACKOFF_SECONDS * 2 ** (waits - 1))

    def _respect_rate_limit(self, headers: dict[str, str]) -> None:
        if headers.get("x-ratelimit-remaining", "").strip() != "0":
            return
        delay = _until_reset(headers.get("x-ratelimit-reset"), self.now())
        self.sleep(delay if delay is not None else BACKOFF_SECONDS)

    def _check_same_service(self, resource: str, url: str) -> None:
        """Send the bearer token only to the API's own host (or another greenhouse.io host)."""
        api, link = urllib.parse.urlsplit(self.settings.api_url), urllib.parse.urlsplit(url)
        greenhouse = link.scheme == "https" and (link.hostname or "").endswith(".greenhouse.io")
        if link.netloc != api.netloc and not greenhouse:
            raise PullError(f"{resource}: the next-page link points to {link.netloc}, "
                            f"not {api.netloc}; refusing to send the access token there.")


def _open(request: urllib.request.Request) -> Response:
    """One HTTP exchange; HTTP error statuses come back as a Response, network errors raise."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return Response(answer.status, _lower(answer.headers), answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, _lower(error.headers), error.read())


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()} if headers else {}


def _reason(error: Exception) -> str:
    return str(getattr(error, "reason", None) or error) or type(error).__name__


def _check_api_status(resource: str, response: Response) -> None:
    if response.status == 200:
        return
    if response.status == 401:
        raise PullError(f"Greenhouse refused {resource} (HTTP 401) even with a fresh access token: "
                        "check that the Harvest v3 credential is still active.", exit_code=2)
    if response.status == 403:
        raise PullError(f"Greenhouse refused {resource} (HTTP 403): give the credential the scope "
                        f"harvest:{resource}:list, and make GREENHOUSE_USER_ID a Site Admin.",
                        exit_code=2)
    raise PullError(f"Greenhouse answered HTTP {response.status} for {resource}: "
                    f"{_snippet(response.body)}")


def _credential_message(response: Response) -> str:
    error = _json_object(response.body, strict=False).get("error")
    detail = f", {error}" if error else ""
    return (f"Greenhouse refused the credential (HTTP {response.status}{detail}): check "
            "GREENHOUSE_CLIENT_ID and GREENHOUSE_CLIENT_SECRET, and that GREENHOUSE_USER_ID is "
            "the numeric id of a user in that Greenhouse account.")


def _snippet(body: bytes, limit: int = 200) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return (text[:limit] + "...") if len(text) > limit else (text or "(empty body)")


def _json_object(body: bytes, strict: bool = True) -> dict:
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        return payload
    if strict:
        raise PullError(f"The Greenhouse token endpoint answered something other than a JSON "
                        f"object: {_snippet(body)}")
    return {}


def _records(resource: str, body: bytes) -> list:
    try:
        payload = json.loads(body)
    except ValueError:
        raise PullError(
            f"{resource}: Greenhouse answered with invalid JSON: {_snippet(body)}") from None
    if not isinstance(payload, list):
        raise PullError(f"{resource}: expected a JSON array from Greenhouse, "
                        f"got {type(payload).__name__}.")
    return payload


_LINK = re.compile(r"<([^>]*)>([^<]*)")


def _next_link(header: str, current_url: str) -> str | None:
    """The rel="next" URL of an RFC 8288 Link header, or None on the last page."""
    for target, params in _LINK.findall(header):
        rels = re.findall(r';\s*rel\s*=\s*"?([^";]+)"?', params)
        if any("next" in rel.lower().split() for rel in rels):
            return urllib.parse.urljoin(current_url, target.strip())
    return None


def _token_expiry(payload: dict, now: float) -> float:
    """When the token expires, from expires_in (seconds) or expires_at (epoch or ISO time)."""
    try:
        if payload.get("expires_in") is not None:
            return now + float(payload["expires_in"])
        if payload.get("expires_at") is not None:
            return _epoch(payload["expires_at"])
    except (TypeError, ValueError):
        pass
    return now + TOKEN_LIFETIME_SECONDS


def _epoch(value) -> float:
    if isinstance(value, int | float) or str(value).strip().replace(".", "", 1).isdigit():
        seconds = float(value)
        return seconds / 1000 if seconds > 1e11 else seconds
    return datetime.fromisoformat(str(value).strip()).timestamp()


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
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


def _until_reset(value: str | None, now: float) -> float | None:
    """Seconds until X-RateLimit-Reset (an epoch time, or seconds when the number is small)."""
    if value is None:
        return None
    try:
        reset = float(value)
    except (TypeError, ValueError):
        return None
    wait = reset - now if reset > 1e9 else reset
    return min(max(wait, 0.0), MAX_WAIT_SECONDS)


# ---------------------------------------------------------------- folder and files


def first_page_url(api_url: str, resource: str, since: str | None) -> str:
    """The first request of a list: per_page, plus the updated_at filter for --since."""
    params = {"per_page": str(PER_PAGE)}
    if since:
        params["updated_at"] = f"gte|{since}"
    return f"{api_url}/{resource}?" + urllib.parse.urlencode(params, safe="|:")


def write_array(path: Path, records: Iterable) -> int:
    """Write records as a JSON array via a temporary file renamed into place; returns the count."""
    partial = path.with_name(f".{path.name}.partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8") as out:
            out.write("[")
            for count, record in enumerate(records, start=1):
                out.write(("\n" if count == 1 else ",\n") + json.dumps(record, ensure_ascii=False))
            out.write("\n]\n" if count else "]\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def read_array(path: Path) -> list:
    """A previously pulled resource file (empty when absent), for merging updates into."""
    if not path.exists():
        return []
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise PullError(f"{path.name}: cannot merge updates into it, it is not valid JSON "
                        f"({error}).") from None
    if not isinstance(records, list):
        raise PullError(f"{path.name}: cannot merge updates into it, it is not a JSON array.")
    return records


def merge_by_id(old: list, new: Iterable) -> list:
    """Old records with same-id new ones replacing them in place; unseen ids appended in order.

    >>> merge_by_id([{"id": 1, "v": "a"}, {"id": 2}], [{"id": 1, "v": "b"}, {"id": 3}])
    [{'id': 1, 'v': 'b'}, {'id': 2}, {'id': 3}]
    """
    merged = list(old)
    position = {key: i for i, record in enumerate(merged) if (key := _id(record)) is not None}
    for record in new:
        key = _id(record)
        if key in position:
            merged[position[key]] = record
            continue
        if key is not None:
            position[key] = len(merged)
        merged.append(record)
    return merged


def _id(record) -> str | None:
    if isinstance(record, dict) and record.get("id") is not None:
        return str(record["id"])
    return None


@dataclass
class PullState:
    """Which resources this pull (for this since value) has already written completely."""

    since: str | None
    done: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, out: Path, since: str | None) -> "PullState":
        try:
            saved = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(since)
        if not isinstance(saved, dict) or saved.get("since") != since:
            return cls(since)
        return cls(since, [r for r in saved.get("done", []) if r in RESOURCES])

    def mark_done(self, out: Path, resource: str) -> None:
        self.done.append(resource)
        text = json.dumps({"since": self.since, "done": self.done}, indent=1)
        partial = out / f".{STATE_FILE}.partial"
        partial.write_text(text + "\n", encoding="utf-8")
        os.replace(partial, out / STATE_FILE)

    @staticmethod
    def clear(out: Path) -> None:
        (out / STATE_FILE).unlink(missing_ok=True)


# ---------------------------------------------------------------- the pull


class Progress:
    """One line per resource on a terminal (pages and records so far); silent otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())

    def track(self, resource: str, pages: Iterable[list]) -> Iterator:
        page_count = record_count = 0
        try:
            for page in pages:
                page_count, record_count = page_count + 1, record_count + len(page)
                pages_text = f"{page_count} page" + ("s" if page_count > 1 else "")
                self._show(f"\r{resource}: {pages_text}, {record_count} records")
                yield from page
        finally:
            self._show("\n" if page_count else "")

    def note(self, text: str) -> None:
        self._show(text + "\n")

    def _show(self, text: str) -> None:
        if self.enabled and text:
            self.stream.write(text)
            self.stream.flush()


@dataclass
class Summary:
    records: int = 0
    pulled: int = 0
    resumed: int = 0


def pull(client: HarvestClient, out: Path, since: str | None, progress: Progress) -> Summary:
    """Pull every resource into `out`, skipping those an interrupted run already finished."""
    _prepare_folder(out)
    state = PullState.load(out, since)
    summary = Summary()
    for resource in RESOURCES:
        if resource in state.done:
            summary.resumed += 1
            progress.note(f"{resource}: already pulled (resuming)")
            continue
        summary.records += pull_resource(client, out, resource, since, progress)
        summary.pulled += 1
        state.mark_done(out, resource)
    PullState.clear(out)
    return summary


def pull_resource(client: HarvestClient, out: Path, resource: str, since: str | None,
                  progress: Progress) -> int:
    """Fetch one resource; a full pull replaces its file, a --since pull merges into it."""
    url = first_page_url(client.settings.api_url, resource, since)
    records = progress.track(resource, client.pages(resource, url))
    target = out / f"{resource}.json"
    if since is None:
        return write_array(target, records)
    updates = list(records)
    write_array(target, merge_by_id(read_array(target), updates))
    return len(updates)


def _prepare_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PullError(f"{out} exists and is not a folder.", exit_code=2)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PullError(f"Cannot create {out}: {error.strerror or error}.", exit_code=2) from None


def summary_line(summary: Summary, out: Path, since: str | None) -> str:
    what = (f"{summary.records} records updated since {since}" if since
            else f"{summary.records} records")
    line = f"Pulled {what} from {summary.pulled} Greenhouse resources into {out}"
    if summary.resumed:
        line += f" ({summary.resumed} more were already complete from the interrupted run)"
    return line + "."


# ---------------------------------------------------------------- command line


def parse_since(text: str) -> str:
    """--since as an ISO-8601 UTC timestamp: a date means its midnight UTC, a naive time is UTC.

    >>> parse_since("2025-06-01"), parse_since("2025-06-01T10:00:00+02:00")
    ('2025-06-01T00:00:00Z', '2025-06-01T08:00:00Z')
    """
    text = text.strip()
    try:
        moment = (datetime.combine(date.fromisoformat(text), datetime.min.time())
                  if len(text) == 10 else datetime.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date or ISO-8601 timestamp: {text!r} (e.g. 2025-06-01 or 2025-06-01T08:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl pull",
        description="Fetch a Greenhouse Harvest v3 export into a folder of JSON files. "
                    "Credentials come from GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and "
                    "GREENHOUSE_USER_ID.")
    parser.add_argument("source", choices=["greenhouse"], help="the system to pull from")
    parser.add_argument("--out", required=True, type=Path, help="folder to write the export to")
    parser.add_argument("--since", type=parse_since, metavar="DATE",
                        help="pull only records updated since DATE and merge them into --out")
    parser.add_argument("--load", action="store_true",
                        help="load the folder after a successful pull")
    parser.add_argument("--db", help="database file for --load (default: the loader's)")
    return parser


def main(argv: list[str], *, sleep: Callable[[float], None] = time.sleep,
         now: Callable[[], float] = time.time) -> int:
    """Run `python -m etl pull greenhouse ...`; argv starts with "greenhouse". Returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    if args.db and not args.load:
        print("--db only applies together with --load.", file=sys.stderr)
        return 2
    if args.since and not (args.out / "applications.json").exists():
        print(f"note: {args.out} holds no earlier pull, so it will hold only the records updated "
              f"since {args.since}.", file=sys.stderr)
    try:
        settings = Settings.from_env(os.environ)
        client = HarvestClient(settings, sleep=sleep, now=now)
        summary = pull(client, args.out, args.since, Progress(sys.stderr))
    except PullError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("\nInterrupted; rerun the same command to resume.", file=sys.stderr)
        return 130
    print(summary_line(summary, args.out, args.since))
    return _load(args.out, args.db) if args.load else 0


def _load(out: Path, db: str | None) -> int:
    """Hand the pulled folder to `python -m etl load` as a Greenhouse v3 export."""
    load = importlib.import_module("etl.load")
    return load.main([str(out), "--format", "greenhouse-v3"] + (["--db", db] if db else []))
