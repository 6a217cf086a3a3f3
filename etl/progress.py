"""Progress on a terminal for long loads; silent when stderr is not a terminal."""

import sys
import time


class Steps:
    """A one-line progress bar over named steps: `[###---] 3/5 derive (4.2 s)`."""

    def __init__(self, names: list[str], stream=sys.stderr):
        self.names, self.stream = names, stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.step(names[0])

    def step(self, name: str) -> None:
        if not self.enabled:
            return
        done = self.names.index(name)
        bar = "#" * done + "-" * (len(self.names) - done)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r[{bar}] {done + 1}/{len(self.names)} {name:<10} ({elapsed:.1f} s)")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
