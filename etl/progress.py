"""Progress on a terminal for long loads; silent when stderr is not a terminal."""

import sys
import time


class Steps:
    """A one-line progress bar over named steps: `[###---] 3/5 derive (4.2 s)`. `seconds` keeps
    how long each finished step took (benchmarks/bench_load.py prints them)."""

    def __init__(self, names: list[str], stream=sys.stderr):
        self.names, self.stream = names, stream
        self.enabled = stream.isatty()
        self.started = self.current_started = time.monotonic()
        self.current = names[0]
        self.seconds: dict[str, float] = {}
        self.step(names[0])

    def step(self, name: str) -> None:
        now = time.monotonic()
        if name != self.current:
            self.seconds[self.current] = now - self.current_started
            self.current, self.current_started = name, now
        if not self.enabled:
            return
        done = self.names.index(name)
        bar = "#" * done + "-" * (len(self.names) - done)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r[{bar}] {done + 1}/{len(self.names)} {name:<10} ({elapsed:.1f} s)")
        self.stream.flush()

    def done(self) -> None:
        self.seconds[self.current] = time.monotonic() - self.current_started
        if self.enabled:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
