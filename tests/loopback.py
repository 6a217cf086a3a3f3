"""What the fake servers and the pull tests share: a server on 127.0.0.1 on a free port, run in a
thread while its context is open, and a clock whose sleeps take no time."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Loopback:
    """`with Server(...) as s:` serves `handler` on 127.0.0.1 at `s.origin` until the block ends."""

    def serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"


class FakeTime:
    """An injectable clock: sleeping records the delay and moves the clock on, instantly."""

    def __init__(self, now: float):
        self.now, self.sleeps = now, []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
