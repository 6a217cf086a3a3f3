"""`python -m etl pull lever`: a Lever export straight from the Lever API (v1).

Writes the layout the `lever` reader loads (etl/sources/lever.py, docs/lever-pull.md):
`opportunities.json` (fetched with `expand=applications`), `archive_reasons.json`,
`stages.json`, `users.json`, `postings.json`, and per opportunity `offers/<id>.json`,
`notes/<id>.json` and `interviews/<id>.json` (absent when the opportunity has none). The API key
is the Basic user name with an empty password; lists page with `limit` and the `next` offset
token while `hasNext` is true.

    LEVER_API_KEY=... python -m etl pull lever --out data/lever --load
"""

import base64
import json
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from etl.http_client import Client, PullError, Response, secure_address
from etl.pull import (
    FOLDER_MODE,
    Progress,
    PullState,
    Summary,
    merge_by_id,
    prepare_folder,
    read_array,
    record_id,
    write_array,
)

FORMAT, MAIN_FILE = "lever", "opportunities.json"
ENV_PREFIX = "LEVER_"
DEFAULT_API_URL = "https://api.lever.co/v1"
LIMIT = 100                 # Lever accepts 1-100 per page
DIRECTORY = ("archive_reasons", "stages", "users", "postings")
PER_OPPORTUNITY = ("offers", "notes", "interviews")
STEPS = (*DIRECTORY, "opportunities", "per_opportunity")
PULLED = ".opportunities.pulled.json"   # this run's opportunities, until their resources are in
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
CREDENTIALS_PAGE = "Settings > Integrations and API > API Credentials"


@dataclass(frozen=True)
class Settings:
    api_key: str
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        """The API key and the (EU host or test) API base from the environment."""
        key = env.get("LEVER_API_KEY", "").strip()
        if not key:
            raise PullError("Missing environment variable LEVER_API_KEY: the pull reads Lever's "
                            f"API key from it (Lever: {CREDENTIALS_PAGE}; see docs/lever-pull.md).",
                            exit_code=2)
        url = (env.get("LEVER_API_URL") or DEFAULT_API_URL).strip().rstrip("/")
        return cls(key, secure_address(url, "LEVER_API_URL"))

    def basic(self) -> str:
        return base64.b64encode(f"{self.api_key}:".encode()).decode()


class LeverClient:
    """GETs of Lever list endpoints, page by page."""

    def __init__(self, settings: Settings, sleep: Callable[[float], None],
                 now: Callable[[], float]):
        self.settings = settings
        self.http = Client("Lever", settings.api_url, [settings.api_key, settings.basic()],
                           sleep, now)

    def records(self, resource: str, path: str, params: dict | None = None,
                missing_is_empty: bool = False) -> Iterator[list]:
        """Each page of one list endpoint (`path` below the API base)."""
        first = f"{self.settings.api_url}/{path}?" + urllib.parse.urlencode(
            {**(params or {}), "limit": LIMIT})
        return self.http.pages(first, resource,
                               lambda url: self._page(resource, url, first, missing_is_empty))

    def _page(self, resource: str, url: str, first: str,
              missing_is_empty: bool) -> tuple[list, str | None]:
        response = self.http.send("GET", url, f"GET {resource}", self._auth)
        if response.status == 404 and missing_is_empty:
            return [], None                 # the opportunity was deleted meanwhile
        self._check_status(resource, response)
        payload = _page_payload(resource, response.body, self.http)
        token = payload.get("next")
        if payload.get("hasNext") and isinstance(token, str) and token:
            return payload["data"], first + "&" + urllib.parse.urlencode({"offset": token})
        return payload["data"], None

    def _auth(self) -> dict[str, str]:
        return {"Authorization": "Basic " + self.settings.basic(), "Accept": "application/json"}

    def _check_status(self, resource: str, response: Response) -> None:
        if response.status == 200:
            return
        if response.status == 401:
            raise PullError("Lever refused LEVER_API_KEY (HTTP 401): the key is wrong, expired or "
                            f"revoked; create a new one in Lever under {CREDENTIALS_PAGE}.",
                            exit_code=2)
        if response.status == 403:
            raise PullError(f"Lever refused {resource} (HTTP 403): allow the API key to read "
                            f"{resource.replace('_', ' ')} (Lever: {CREDENTIALS_PAGE}, the key's "
                            "permissions).", exit_code=2)
        raise PullError(f"Lever answered HTTP {response.status} for {resource}: "
                        f"{self.http.snippet(response.body)}")


def _page_payload(resource: str, body: bytes, http: Client) -> dict:
    """A page `{"data": [...], "hasNext": ..., "next": ...}`, or PullError."""
    try:
        payload = json.loads(body)
    except ValueError:
        raise PullError(f"{resource}: Lever answered with invalid JSON: {http.snippet(body)}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise PullError(f"{resource}: expected a Lever page {{\"data\": [...]}}, got "
                        f"{http.snippet(body)}")
    return payload


def epoch_ms(since: str) -> int:
    """--since (ISO UTC) as the epoch milliseconds Lever's updated_at_start takes."""
    return int(datetime.fromisoformat(since.replace("Z", "+00:00")).timestamp() * 1000)


def safe_id(opportunity: object) -> str:
    """An opportunity's id, fit for a URL path and a file name (Lever ids are UUIDs)."""
    key = record_id(opportunity)
    if key is None or not SAFE_ID.fullmatch(key):
        raise PullError(f"Lever sent an opportunity whose id is not a plain identifier "
                        f"({str(key)[:40]!r}); refusing to use it as a file name.", exit_code=2)
    return key


# ---------------------------------------------------------------- the pull


def run(env: Mapping[str, str], out: Path, since: str | None, progress: Progress,
        sleep: Callable[[float], None], now: Callable[[], float]) -> str:
    """The whole pull from the environment's API key; returns the summary line."""
    client = LeverClient(Settings.from_env(env), sleep, now)
    return pull(client, out, since, progress).line("Lever", "endpoints", out, since)


def pull(client: LeverClient, out: Path, since: str | None, progress: Progress) -> Summary:
    """Directory lists, then the opportunities (updated since `since`), then each one's offers,
    notes and interviews; an interrupted run's finished steps are skipped."""
    prepare_folder(out)
    state = PullState.load(out, since, STEPS)
    if "opportunities" in state.done and not (out / PULLED).exists():
        state = PullState(since)            # the run's opportunities are gone: start over
    summary = Summary()
    for resource in DIRECTORY:
        if step_done(state, resource, summary, progress):
            continue
        records = progress.track(resource, client.records(resource, resource))
        summary.records += write_array(out / f"{resource}.json", records)
        finish_step(state, out, resource, summary)
    if not step_done(state, "opportunities", summary, progress):
        params = {"expand": "applications"} | ({"updated_at_start": epoch_ms(since)} if since else {})
        records = progress.track("opportunities", client.records("opportunities", "opportunities",
                                                                  params))
        summary.records += write_array(out / PULLED, records)
        finish_step(state, out, "opportunities", summary)
    opportunities = read_array(out / PULLED)
    if not step_done(state, "per_opportunity", summary, progress):
        summary.records += pull_per_opportunity(client, out, opportunities, state, progress)
        finish_step(state, out, "per_opportunity", summary)
    settle(out, opportunities, since)
    PullState.clear(out)
    return summary


def step_done(state: PullState, step: str, summary: Summary, progress: Progress) -> bool:
    if step not in state.done:
        return False
    summary.resumed += len(PER_OPPORTUNITY) if step == "per_opportunity" else 1
    progress.note(f"{step.replace('_', '-')}: already pulled (resuming)")
    return True


def finish_step(state: PullState, out: Path, step: str, summary: Summary) -> None:
    summary.pulled += len(PER_OPPORTUNITY) if step == "per_opportunity" else 1
    state.mark_done(out, step)


def pull_per_opportunity(client: LeverClient, out: Path, opportunities: list, state: PullState,
                         progress: Progress) -> int:
    """Each opportunity's offers, notes and interviews, one file each, from where a previous
    run stopped; the position is saved after every opportunity."""
    ids = [safe_id(opportunity) for opportunity in opportunities]
    for resource in PER_OPPORTUNITY:
        (out / resource).mkdir(exist_ok=True, mode=FOLDER_MODE)
    count = 0
    with progress.bar("offers, notes, interviews", "opportunities", total=len(ids)) as bar:
        bar.update(state.position)
        for index in range(state.position, len(ids)):
            for resource in PER_OPPORTUNITY:
                path = f"opportunities/{ids[index]}/{resource}"
                pages = client.records(resource, path, missing_is_empty=True)
                count += write_or_remove(out / resource / f"{ids[index]}.json",
                                         [record for page in pages for record in page])
            state.advance(out, index + 1)
            bar.update(1)
    return count


def write_or_remove(path: Path, records: list) -> int:
    """An opportunity's records of one kind; no file when it has none (none left)."""
    if records:
        return write_array(path, records)
    path.unlink(missing_ok=True)
    return 0


def settle(out: Path, opportunities: list, since: str | None) -> None:
    """Put this run's opportunities in place: a full pull replaces opportunities.json (and drops
    the files of opportunities no longer there), a --since pull merges into it by id."""
    target = out / MAIN_FILE
    if since is None:
        write_array(target, merge_by_id([], opportunities))     # a record paged twice: once
        keep = {safe_id(opportunity) for opportunity in opportunities}
        for resource in PER_OPPORTUNITY:
            for stale in (out / resource).glob("*.json"):
                if stale.stem not in keep:
                    stale.unlink()
    else:
        write_array(target, merge_by_id(read_array(target), opportunities))
    (out / PULLED).unlink(missing_ok=True)
