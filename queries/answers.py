"""Answers to many questions at once: asked in parallel, remembered for one published version.

    >>> answers = Answers(connect())
    >>> answers.prefetch(filters, [("no_shows", "week")])    # the report's questions and these
    >>> answers.report(filters)                              # built from answers already there
    >>> answers.answer("no_shows", filters, "week")

A page asks all of its questions up front; each takes its own cursor, so while one is being
planned (single-threaded in DuckDB) another runs. A published version never changes, so an
answer stays valid until the version is dropped.
"""

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple

import duckdb
import pandas as pd

from queries import metrics
from queries.runner import Filters, run, select_rows


class Request(NamedTuple):
    name: str
    filters: Filters
    group_by: str | None = None
    with_previous: bool = False  # answer the period before too (rows say which period)


class Answers:
    def __init__(self, con: duckdb.DuckDBPyConnection, workers: int = 3, keep: int = 1000):
        self.con, self._keep = con, keep
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="answers")
        self._futures: OrderedDict[Request, Future] = OrderedDict()
        self._lock = threading.Lock()

    def ask(self, requests: list[Request]) -> list[Future]:
        """Start every request not answered or under way yet; the futures in request order."""
        with self._lock:
            futures = []
            for request in requests:
                if request not in self._futures:
                    self._futures[request] = self._pool.submit(self._answer, request)
                self._futures.move_to_end(request)
                futures.append(self._futures[request])
            while len(self._futures) > self._keep:
                self._futures.popitem(last=False)
        return futures

    def __contains__(self, request: Request) -> bool:
        """Answered or under way."""
        with self._lock:
            return request in self._futures

    def get(self, request: Request, period: str = "current", totals: bool = False) -> pd.DataFrame:
        """One part of the answer (runner.select_rows), waiting for it if needed. The parts
        are cut as the answer arrives; callers get a copy that they may change (copy-on-write,
        so cheap)."""
        [future] = self.ask([request])
        try:
            frame, parts = future.result()
        except Exception:
            with self._lock:  # a failed answer is asked again next time
                if self._futures.get(request) is future:
                    del self._futures[request]
            raise
        part = parts.get((period, totals))
        return (select_rows(frame, period, totals) if part is None else part).copy(deep=False)

    def prefetch(self, filters: Filters, questions: list[tuple[str, str | None]] = (),
                 report: tuple[str, ...] = metrics.QUESTIONS, previous: bool = False,
                 recruiters: bool = False) -> None:
        """Start a page's own questions (question, group_by) and those its report's figures
        come from (report) at once, so that they run side by side. previous: the report of the
        period before is wanted too (its questions then answer both periods in one pass);
        recruiters: the report's per-recruiter table too. A question broken down by groups
        also gives its totals, so its ungrouped form is not asked separately."""
        own = list(metrics.RECRUITER_QUESTIONS if recruiters else ()) + list(questions)
        grouped = {name for name, group_by in own if group_by is not None}
        requests = [Request(name, filters, None, with_previous=previous)
                    for name in report if name not in grouped]
        requests += [Request(name, filters, group_by, with_previous=previous and name in report)
                     for name, group_by in dict.fromkeys(own)
                     if group_by is not None or name not in report]
        self.ask(requests)

    def answer(self, name: str, filters: Filters, group_by: str | None = None,
               period: str = "current") -> pd.DataFrame:
        """One question's answer for the filters' period, or for the period before it. The
        totals (group_by None) come from any answer of the same question already asked for
        these filters, whatever its groups; the previous period (its totals only) comes from a
        pass over both."""
        if period == "previous" and group_by is not None:
            raise ValueError(f"{name}: the period before is answered as a total, not by {group_by}")
        return self.get(self._known(name, filters, group_by, period), period, totals=group_by is None)

    def _known(self, name: str, filters: Filters, group_by: str | None, period: str) -> Request:
        """The request to read: one already asked that holds the rows wanted, else a new one."""
        def holds(r: Request) -> bool:
            return (r.name == name and r.filters == filters
                    and (r.group_by == group_by or group_by is None)  # a breakdown has the totals
                    and (r.with_previous or period == "current"))

        with self._lock:
            held = sorted((r for r in self._futures if holds(r)), key=lambda r: r.group_by != group_by)
        return held[0] if held else Request(name, filters, group_by, with_previous=period == "previous")

    def report(self, filters: Filters, period: str = "current", recruiters: bool = False,
               questions: tuple[str, ...] = metrics.QUESTIONS) -> dict:
        """queries.metrics.report for the filters' period (or the one before), from these
        answers: the figures of the given questions; recruiters: with the per-recruiter table
        (for the current period)."""
        def ask(name: str, group_by: str | None = None) -> pd.DataFrame:
            return self.answer(name, filters, group_by, period)

        chosen = filters if period == "current" else filters.previous()
        return metrics.report(self.con, chosen, ask=ask, with_recruiters=recruiters, questions=questions)

    def _answer(self, request: Request) -> tuple[pd.DataFrame, dict]:
        """The answer and its parts, cut here while the page's other questions still run."""
        params = request.filters.params(self.con, group_by=request.group_by,
                                        with_previous=request.with_previous)
        frame = run(request.name, self.con, **params)
        periods = frame["period"].unique() if "period" in frame else ["current"]
        return frame, {(period, totals): select_rows(frame, period, totals)
                       for period in periods for totals in (False, True)}

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
