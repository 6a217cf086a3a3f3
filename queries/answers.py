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
from queries.runner import Filters, period_rows, run


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

    def get(self, request: Request) -> pd.DataFrame:
        """The answer (a copy: callers may change it), waiting for it if needed."""
        [future] = self.ask([request])
        try:
            return future.result().copy()
        except Exception:
            with self._lock:  # a failed answer is asked again next time
                if self._futures.get(request) is future:
                    del self._futures[request]
            raise

    def prefetch(self, filters: Filters, questions: list[tuple[str, str | None]] = (),
                 previous: bool = False) -> None:
        """Start the report's questions and a page's own ones at once, so that they run side
        by side. previous: the report of the period before is wanted too (the report's
        questions then answer both periods in one pass)."""
        self.ask([Request(name, filters, group_by, with_previous=previous)
                  for name, group_by in metrics.QUESTIONS]
                 + [Request(name, filters, group_by) for name, group_by in questions])

    def answer(self, name: str, filters: Filters, group_by: str | None = None,
               period: str = "current") -> pd.DataFrame:
        """One question's answer for the filters' period, or for the period before it (taken
        from the same pass, as is the current period's when that pass was asked for)."""
        paired = Request(name, filters, group_by, with_previous=True)
        if period == "previous" or paired in self:
            return period_rows(self.get(paired), period)
        return self.get(Request(name, filters, group_by))

    def report(self, filters: Filters, period: str = "current") -> dict:
        """queries.metrics.report for the filters' period (or the one before), from these answers."""
        def ask(name: str, group_by: str | None = None) -> pd.DataFrame:
            return self.answer(name, filters, group_by, period)

        return metrics.report(self.con, filters if period == "current" else filters.previous(), ask=ask)

    def _answer(self, request: Request) -> pd.DataFrame:
        params = request.filters.params(self.con, group_by=request.group_by,
                                        with_previous=request.with_previous)
        return run(request.name, self.con, **params)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
