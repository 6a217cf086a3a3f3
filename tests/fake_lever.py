"""A local stand-in for the Lever API (v1) on 127.0.0.1 (port 0, in a thread).

It serves list endpoints the way Lever does: Basic auth with the API key as user name and an
empty password, `{"data": [...], "hasNext": ..., "next": "<token>"}` pages of at most
`page_size` records (`limit` 1-100, `offset` = the opaque next token), `expand=applications`
on /opportunities (application objects, else their ids) and `updated_at_start` (epoch ms,
against `updatedAt`). Knobs inject what a real pull meets:

    with FakeLever(export) as lever:
        lever.fail_once[("/v1/opportunities", 2)] = [429]  # page 2 answers 429 once
        lever.broken.add(("/v1/opportunities/o4/notes", 1)) # answers 500 until removed
        lever.forbidden.add("offers")                      # every offers request answers 403
        lever.revoked = True                               # every request answers 401

`lever.log` records every request (path, query, status, records served).
"""

import base64
import json
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from etl.sources import lever as reader
from tests.loopback import Loopback

API_KEY = "lever-test-key"
LISTS = ("archive_reasons", "stages", "users", "postings")
PER_OPPORTUNITY = ("offers", "notes", "interviews")


@dataclass
class Export:
    """What the fake serves: opportunities, the directory lists, and per-opportunity records."""

    opportunities: list[dict]
    lists: dict[str, list[dict]]
    per_opportunity: dict[str, dict[str, list[dict]]]    # resource -> opportunity id -> records

    @classmethod
    def from_folder(cls, folder: Path) -> "Export":
        """A hand-made Lever export folder (any of the layouts the reader accepts)."""
        def records(name: str) -> list[dict]:
            path = folder / name
            return reader.load_json_records(path, name) if path.is_file() else []

        per = {resource: {} for resource in PER_OPPORTUNITY}
        for resource in PER_OPPORTUNITY:
            for record in records(f"{resource}.json"):
                per[resource].setdefault(record["opportunityId"], []).append(record)
            for path in sorted((folder / resource).glob("*.json")):
                per[resource].setdefault(path.stem, []).extend(
                    reader.load_json_records(path, path.name))
        return cls(records("opportunities.json"), {name: records(f"{name}.json") for name in LISTS},
                   per)


@dataclass
class Logged:
    path: str
    query: dict[str, list[str]]
    status: int
    records: int | None = None


@dataclass
class FakeLever(Loopback):
    export: Export
    page_size: int = 2
    retry_after: str = "2"
    revoked: bool = False
    fail_once: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    broken: set[tuple[str, int]] = field(default_factory=set)
    forbidden: set[str] = field(default_factory=set)
    redirects: dict[str, str] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)

    def __post_init__(self):
        self.serve(_handler_for(self))

    @property
    def api_url(self) -> str:
        return f"{self.origin}/v1"

    def requests(self, prefix: str = "/v1/") -> list[Logged]:
        return [r for r in self.log if r.path.startswith(prefix)]

    def answer(self, path: str, query: dict[str, list[str]], authorization: str):
        """(status, headers, body) for GET <path>."""
        if self.revoked or authorization != "Basic " + base64.b64encode(
                f"{API_KEY}:".encode()).decode():
            return 401, {}, {"code": "Unauthorized", "message": "Invalid API key"}
        records, resource = self._records(path, query)
        if records is None:
            return 404, {}, {"code": "ResourceNotFound", "message": "not found"}
        if resource in self.forbidden:
            return 403, {}, {"code": "Forbidden", "message": f"no access to {resource}"}
        try:
            offset, limit = _position(query)
        except ValueError as problem:
            return 400, {}, {"code": "BadRequest", "message": str(problem)}
        return self._page(path, records, offset, min(limit, self.page_size))

    def _records(self, path: str, query: dict[str, list[str]]) -> tuple[list | None, str | None]:
        parts = path.removeprefix("/v1/").split("/")
        if parts == ["opportunities"]:
            return self._opportunities(query), "opportunities"
        if len(parts) == 1 and parts[0] in LISTS:
            return self.export.lists[parts[0]], parts[0]
        if len(parts) == 3 and parts[0] == "opportunities" and parts[2] in PER_OPPORTUNITY:
            known = {o["id"] for o in self.export.opportunities}
            if parts[1] not in known:
                return None, parts[2]
            return self.export.per_opportunity[parts[2]].get(parts[1], []), parts[2]
        return None, None

    def _opportunities(self, query: dict[str, list[str]]) -> list[dict]:
        since = int(query.get("updated_at_start", ["0"])[0])
        expand = "applications" in query.get("expand", [])
        chosen = [o for o in self.export.opportunities if o.get("updatedAt", 0) >= since]
        return chosen if expand else [_ids_only(o) for o in chosen]

    def _page(self, path: str, records: list, offset: int, size: int):
        page_number = offset // size + 1
        injected = self.fail_once.get((path, page_number))
        if injected:
            status = injected.pop(0)
            headers = {"Retry-After": self.retry_after} if status == 429 else {}
            return status, headers, {"code": "Injected", "message": f"injected {status}"}
        if (path, page_number) in self.broken:
            return 500, {}, {"code": "InternalError", "message": "internal error"}
        page = records[offset:offset + size]
        body = {"data": page, "hasNext": offset + size < len(records)}
        if body["hasNext"]:
            body["next"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        return 200, {}, body


def _ids_only(opportunity: dict) -> dict:
    applications = [a["id"] if isinstance(a, dict) else a
                    for a in opportunity.get("applications") or []]
    return {**opportunity, "applications": applications}


def _position(query: dict[str, list[str]]) -> tuple[int, int]:
    unknown = set(query) - {"limit", "offset", "expand", "updated_at_start"}
    if unknown:
        raise ValueError(f"unknown parameters: {sorted(unknown)}")
    limit = int(query.get("limit", ["100"])[0])
    if not 1 <= limit <= 100:
        raise ValueError("limit must be between 1 and 100")
    offset = query.get("offset")
    return (int(base64.urlsafe_b64decode(offset[0])) if offset else 0), limit


def _handler_for(lever: FakeLever):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if url.path in lever.redirects:
                return self._answer(url, query, 302, {"Location": lever.redirects[url.path]}, {})
            status, headers, body = lever.answer(url.path, query,
                                                 self.headers.get("Authorization", ""))
            self._answer(url, query, status, headers, body)

        def _answer(self, url, query, status, headers, body):
            served = len(body["data"]) if isinstance(body, dict) and "data" in body else None
            lever.log.append(Logged(url.path, query, status, served))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    return Handler
