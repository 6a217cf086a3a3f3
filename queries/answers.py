"""Answers to many questions at once: asked in parallel, remembered for one published version.

    answers = Answers(connect())
    answers.prefetch(filters, [("no_shows", "week")])    # the report's questions and these
    answers.report(filters)                              # built from answers already there
    answers.answer("no_shows", filters, "week")

A page asks all of its questions up front, and they run side by side: one per core, each on
its own cursor and on one DuckDB thread (runner.connect). A page's questions are small, and
spreading one over several threads costs more in coordination than it gains; running several
at once also overlaps their planning, which DuckDB does on one thread. The longest start first,
by how long they took last time, so that no long one is left to run alone at the end.
A published version never changes, so an answer stays valid until the version is dropped.
"""

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple

import duckdb
import pandas as pd

from queries import metrics
from queries.runner import Filters, run, split


class Request(NamedTuple):
    name: str
    filters: Filters
    group_by: str | None = None
    with_previous: bool = False  # answer the period before too (rows say which period)
    groups_only: bool = False  # the groups' rows alone: no totals (half the work of a breakdown)


# one question per core at a time: each runs on one DuckDB thread (runner.connect)
WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2

# how long each kind of question took last time (any filters), to start the longest first
_took: dict[tuple, float] = {}


def _kind(request: Request) -> tuple:
    return request.name, request.group_by, request.with_previous


def prefetched(filters: Filters, questions: Sequence[tuple[str, str | None]] = (),
               report: tuple[str, ...] = metrics.QUESTIONS, previous: bool = False,
               recruiters: bool = False) -> list[Request]:
    """The requests of Answers.prefetch (see there)."""
    own = list(metrics.RECRUITER_QUESTIONS if recruiters else ()) + list(questions)
    grouped = {name for name, group_by in own if group_by is not None}
    requests = [Request(name, filters, None, with_previous=previous)
                for name in report if name not in grouped]
    requests += [Request(name, filters, group_by, with_previous=previous and name in report)
                 for name, group_by in dict.fromkeys(own)
                 if group_by is not None or name not in report]
    return requests


class Answers:
    def __init__(self, con: duckdb.DuckDBPyConnection, workers: int = WORKERS, keep: int = 1000):
        self.con, self._keep = con, keep
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="answers")
        self._futures: OrderedDict[Request, Future] = OrderedDict()
        self._lock = threading.Lock()
        self._warming = threading.Lock()  # held while warm() answers a question
        self._idle = threading.Condition(self._lock)  # notified when no page's question runs
        self._running = 0  # the pool's questions asked and not answered yet
        self._closed = False

    def ask(self, requests: list[Request]) -> list[Future]:
        """Start every request not answered or under way yet, the longest first (as they took
        last time); the futures in request order."""
        with self._lock:
            new = [r for r in dict.fromkeys(requests) if r not in self._futures]
            new.sort(key=lambda r: -_took.get(_kind(r), 0.0))
            for request in new:
                self._running += 1
                self._futures[request] = self._pool.submit(self._counted, request)
            futures = []
            for request in requests:
                self._futures.move_to_end(request)
                futures.append(self._futures[request])
            self._trim()
        return futures

    def _trim(self) -> None:
        """The oldest answers let go beyond `keep` (called with the lock held)."""
        while len(self._futures) > self._keep:
            self._futures.popitem(last=False)

    def __contains__(self, request: Request) -> bool:
        """Answered or under way."""
        with self._lock:
            return request in self._futures

    def get(self, request: Request, period: str = "current", totals: bool = False) -> pd.DataFrame:
        """One part of the answer (runner.split), waiting for it if needed. The parts
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
        return parts.get((period, totals), frame).copy(deep=False)

    def prefetch(self, filters: Filters, questions: Sequence[tuple[str, str | None]] = (),
                 report: tuple[str, ...] = metrics.QUESTIONS, previous: bool = False,
                 recruiters: bool = False) -> None:
        """Start a page's own questions (question, group_by) and those its report's figures
        come from (report) at once, so that they run side by side. previous: the report of the
        period before is wanted too (its questions then answer both periods in one pass);
        recruiters: the report's per-recruiter table too. A question broken down by groups
        also gives its totals, so its ungrouped form is not asked separately."""
        self.ask(prefetched(filters, questions, report, previous, recruiters))

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
                    and (r.group_by == group_by or (group_by is None and not r.groups_only))
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
        if chosen is None:
            raise ValueError("no previous period: the filters have no start and end date")
        return metrics.report(self.con, chosen, ask=ask, with_recruiters=recruiters, questions=questions)

    def _counted(self, request: Request) -> tuple[pd.DataFrame, dict]:
        """A pool question: _answer, counted while it runs (warm() waits for none to run)."""
        try:
            return self._answer(request)
        finally:
            with self._lock:
                self._running -= 1
                if not self._running:
                    self._idle.notify_all()

    def _answer(self, request: Request) -> tuple[pd.DataFrame, dict]:
        """The answer and its parts, cut here while the page's other questions still run."""
        started = time.perf_counter()
        params = request.filters.params(self.con, group_by=request.group_by,
                                        with_previous=request.with_previous)
        params["groups_only"] = request.groups_only
        frame = run(request.name, self.con, **params)
        parts = split(frame)
        _took[_kind(request)] = time.perf_counter() - started
        return frame, parts

    def warm(self, requests: Sequence[Request]) -> int:
        """Answer these requests ahead of anyone asking, one after another on the calling thread
        (app/store.py: the pages' first views once a version is published), so that the pool's
        workers stay free for the pages being drawn: each question waits until none of theirs
        runs, and a page asking one of the warm-up's meanwhile waits for it rather than asking
        again. Stops at the first failure (the version was closed, or the question fails: then
        it is asked again when a page wants it). The number answered."""
        done = 0
        for request in requests:
            with self._warming:
                with self._lock:
                    while self._running and not self._closed:
                        self._idle.wait()
                    if self._closed:
                        break
                    if request in self._futures:
                        continue
                    future: Future = Future()
                    self._futures[request] = future
                    self._trim()
                try:
                    future.set_result(self._answer(request))
                except Exception as e:
                    with self._lock:
                        if self._futures.get(request) is future:
                            del self._futures[request]
                    future.set_exception(e)  # for a page that waited on it
                    break
                done += 1
        return done

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._idle.notify_all()
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._warming:  # a warm-up's question under way ends first
            pass
