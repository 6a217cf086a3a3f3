"""`python -m etl pull greenhouse`: a Harvest v3 export straight from the Greenhouse API.

One JSON array per list endpoint, the layout the `greenhouse-v3` reader loads
(docs/greenhouse-pull.md). OAuth client credentials from the environment; bearer tokens are
refreshed before they expire; pages follow the Link header's rel="next".

    GREENHOUSE_CLIENT_ID=... GREENHOUSE_CLIENT_SECRET=... GREENHOUSE_USER_ID=... \\
        python -m etl pull greenhouse --out exports/greenhouse --load
"""

import base64
import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from etl.http_client import Client, PullError, Response, secure_address, until_reset
from etl.pull import Progress, PullState, Summary, merge_by_id, prepare_folder, read_array, write_array

RESOURCES = (
    "applications", "application_stages", "job_interview_stages", "rejection_details",
    "rejection_reasons", "candidates", "notes", "offers", "interviews", "users", "jobs",
    "job_owners", "departments", "sources",
)
FORMAT, MAIN_FILE = "greenhouse-v3", "applications.json"
CREDENTIAL_VARS = ("GREENHOUSE_CLIENT_ID", "GREENHOUSE_CLIENT_SECRET", "GREENHOUSE_USER_ID")
ENV_PREFIX = "GREENHOUSE_"
DEFAULT_AUTH_URL = "https://auth.greenhouse.io/token"
DEFAULT_API_URL = "https://harvest.greenhouse.io/v3"
PER_PAGE = 500              # Harvest v3 accepts 1-500
TOKEN_MARGIN_SECONDS = 60   # refresh a token this long before it expires
TOKEN_LIFETIME_SECONDS = 3600  # assumed when the token response gives no expiry
RATE_LIMIT_PAUSE = 1.0      # when Remaining is 0 and no reset time is given


@dataclass(frozen=True)
class Settings:
    client_id: str
    client_secret: str
    user_id: str
    auth_url: str = DEFAULT_AUTH_URL
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        """The credential and the (test-overridable) endpoints from the environment."""
        missing = [name for name in CREDENTIAL_VARS if not env.get(name, "").strip()]
        if missing:
            raise PullError(
                f"Missing environment variable(s) {', '.join(missing)}: the pull reads a Harvest v3 "
                "credential from GREENHOUSE_CLIENT_ID, GREENHOUSE_CLIENT_SECRET and GREENHOUSE_USER_ID "
                "(see docs/greenhouse-pull.md).", exit_code=2)
        client_id, client_secret, user_id = (env[name].strip() for name in CREDENTIAL_VARS)
        auth_url = secure_address(env.get("GREENHOUSE_AUTH_URL") or DEFAULT_AUTH_URL,
                                  "GREENHOUSE_AUTH_URL")
        api_url = secure_address((env.get("GREENHOUSE_API_URL") or DEFAULT_API_URL).rstrip("/"),
                                 "GREENHOUSE_API_URL")
        return cls(client_id, client_secret, user_id, auth_url, api_url)

    def basic(self) -> str:
        pair = f"{self.client_id}:{self.client_secret}".encode()
        return base64.b64encode(pair).decode()


class HarvestClient:
    """Authenticated, rate-limit-aware GETs against Harvest v3 list endpoints."""

    def __init__(self, settings: Settings, client: Client):
        self.settings, self.http = settings, client
        self._token: str | None = None
        self._token_expires_at = 0.0

    @classmethod
    def from_settings(cls, settings: Settings, sleep: Callable[[float], None],
                      now: Callable[[], float]) -> "HarvestClient":
        secrets = [settings.client_secret, settings.basic()]
        return cls(settings, Client("Greenhouse", settings.api_url, secrets, sleep, now))

    def records(self, resource: str, url: str):
        """Each page of one resource, following the Link header's next link."""
        return self.http.pages(url, resource, lambda page_url: self._page(resource, page_url))

    def _page(self, resource: str, url: str) -> tuple[list, str | None]:
        response = self._get(resource, url)
        return _records(resource, response.body, self.http), _next_link(
            response.headers.get("link", ""), url)

    def _get(self, resource: str, url: str) -> Response:
        response = self.http.send("GET", url, f"GET {resource}", self._bearer)
        if response.status == 401:
            self._fetch_token()
            response = self.http.send("GET", url, f"GET {resource}", self._bearer)
        self._check_status(resource, response)
        self._respect_rate_limit(response.headers)
        return response

    def _bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._access_token()}", "Accept": "application/json"}

    def _access_token(self) -> str:
        if self._token is None or self.http.now() >= self._token_expires_at - TOKEN_MARGIN_SECONDS:
            self._fetch_token()
        assert self._token is not None
        return self._token

    def _fetch_token(self) -> None:
        form = {"grant_type": "client_credentials", "sub": self.settings.user_id}
        response = self.http.send("POST", self.settings.auth_url, "the token request",
                                  self._basic, data=form)
        if response.status in (400, 401, 403):
            raise PullError(_credential_message(response), exit_code=2)
        if response.status != 200:
            raise PullError(f"The Greenhouse token endpoint answered HTTP {response.status}: "
                            f"{self.http.snippet(response.body)}")
        payload = _json_object(response.body, self.http)
        if not payload.get("access_token"):
            raise PullError("The Greenhouse token endpoint answered without an access_token.")
        self._token = str(payload["access_token"])
        self.http.secrets.append(self._token)
        self._token_expires_at = _token_expiry(payload, self.http.now())

    def _basic(self) -> dict[str, str]:
        return {"Authorization": "Basic " + self.settings.basic(), "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded"}

    def _check_status(self, resource: str, response: Response) -> None:
        if response.status == 200:
            return
        if response.status == 401:
            raise PullError(f"Greenhouse refused {resource} (HTTP 401) even with a fresh access "
                            "token: check that the Harvest v3 credential is still active.",
                            exit_code=2)
        if response.status == 403:
            raise PullError(f"Greenhouse refused {resource} (HTTP 403): give the credential the "
                            f"scope harvest:{resource}:list, and make GREENHOUSE_USER_ID a Site "
                            "Admin.", exit_code=2)
        raise PullError(f"Greenhouse answered HTTP {response.status} for {resource}: "
                        f"{self.http.snippet(response.body)}")

    def _respect_rate_limit(self, headers: dict[str, str]) -> None:
        if headers.get("x-ratelimit-remaining", "").strip() != "0":
            return
        delay = until_reset(headers.get("x-ratelimit-reset"), self.http.now())
        self.http.sleep(delay if delay is not None else RATE_LIMIT_PAUSE)


def _credential_message(response: Response) -> str:
    error = _json_object(response.body, None).get("error")
    detail = f", {error}" if isinstance(error, str) and re.fullmatch(r"[a-z_]{1,40}", error) else ""
    return (f"Greenhouse refused the credential (HTTP {response.status}{detail}): check "
            "GREENHOUSE_CLIENT_ID and GREENHOUSE_CLIENT_SECRET, and that GREENHOUSE_USER_ID is "
            "the numeric id of a user in that Greenhouse account.")


def _json_object(body: bytes, http: Client | None) -> dict:
    """The token endpoint's JSON object; with `http`, anything else is a PullError."""
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        return payload
    if http is not None:
        raise PullError(f"The Greenhouse token endpoint answered something other than a JSON "
                        f"object: {http.snippet(body)}")
    return {}


def _records(resource: str, body: bytes, http: Client) -> list:
    try:
        payload = json.loads(body)
    except ValueError:
        raise PullError(
            f"{resource}: Greenhouse answered with invalid JSON: {http.snippet(body)}") from None
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
    except (TypeError, ValueError, OverflowError):
        pass
    return now + TOKEN_LIFETIME_SECONDS


def _epoch(value) -> float:
    if isinstance(value, int | float) or str(value).strip().replace(".", "", 1).isdigit():
        seconds = float(value)
        return seconds / 1000 if seconds > 1e11 else seconds
    return datetime.fromisoformat(str(value).strip()).timestamp()


# ---------------------------------------------------------------- the pull


def first_page_url(api_url: str, resource: str, since: str | None) -> str:
    """The first request of a list: per_page, plus the updated_at filter for --since."""
    params = {"per_page": str(PER_PAGE)}
    if since:
        params["updated_at"] = f"gte|{since}"
    return f"{api_url}/{resource}?" + urllib.parse.urlencode(params, safe="|:")


def run(env: Mapping[str, str], out: Path, since: str | None, progress: Progress,
        sleep: Callable[[float], None], now: Callable[[], float]) -> str:
    """The whole pull from the environment's credential; returns the summary line."""
    client = HarvestClient.from_settings(Settings.from_env(env), sleep, now)
    return pull(client, out, since, progress).line("Greenhouse", "resources", out, since)


def pull(client: HarvestClient, out: Path, since: str | None, progress: Progress) -> Summary:
    """Pull every resource into `out`, skipping those an interrupted run already finished."""
    prepare_folder(out)
    state = PullState.load(out, since, RESOURCES)
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
    records = progress.track(resource, client.records(resource, url))
    target = out / f"{resource}.json"
    if since is None:
        return write_array(target, records)
    updates = list(records)
    write_array(target, merge_by_id(read_array(target), updates))
    return len(updates)
