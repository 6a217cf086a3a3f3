"""Many users at once: N real dashboard sessions with different filters.

    python benchmarks/bench_sessions.py --db /tmp/cx-bench/cx.duckdb [--sessions 20] [--views 3]
        [--client protocol|browser] [--processes 1] [--pages review,offers] [--think 5]

Starts `streamlit run dashboard.py` on a free port of 127.0.0.1 with CX_DB at the database,
opens one page to start the server's shared handle, then N users at once, each with filters of
their own (a department, a recruiter) going through `--views` pages. `protocol` (the default)
speaks Streamlit's own client protocol over its WebSocket, as the browser does: a page's first
view is timed from asking for the page until the server says its script has finished, every
element sent. `browser` opens N headless Chromium tabs instead and times until the figures are
drawn; on a 2-core machine the twenty browsers then take most of the CPU from the server, so
it measures the machine more than the dashboard. Prints the median, p95 and max of those times
and the server's resident memory (highest and at the end), sampled every 0.2 s from /proc.
`--processes N` starts N dashboard processes on the same database (docs/scaling.md) and gives
the users to them in turn, as a proxy keeping each session on one process would; the memory
is then theirs together. `--pages` names the pages the users go through (default: every page
but the Monthly review, in turn); `--pages review --views 1` times the review's first view.
`--default-view`: every user with the sidebar's default filters, the view the dashboard answers
by itself once a version is published (queries/pages.py; `--settle S` waits for that warm-up
after the server opened the database; CX_WARM_UP=0 in the environment turns it off).
`--think S`: each user reads a page for a while before the next, and opens the first after a
while too (uniform between 0 and 2*S seconds, the same for every run), as people at their desks
do; without it (0, the default) all users ask for every page back to back, a burst no team makes
but the worst case.
"""

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pages import machine_check  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ["", "response-times", "closing-the-loop", "offers", "team", "data"]
# done: the script has finished and the page shows its figures (a tile, a chart or a table)
DRAWN = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
    const main = document.querySelector("[data-testid='stMain']");
    return !!main && !!main.querySelector("[data-testid='stMetric'], [data-testid='stPlotlyChart'], "
        + "[data-testid='stDataFrame'], [data-testid='stTable']");
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "CX_DB": db}
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("streamlit did not become healthy")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def user_filters(db: str, sessions: int) -> list[str]:
    """A query string per user: departments, recruiters and periods taken in turn."""
    import duckdb

    with duckdb.connect(os.path.realpath(db), read_only=True) as con:
        values = con.execute("select filter, value from filter_values "
                             "where filter in ('department', 'recruiter') and value <> '' "
                             "order by filter, value").fetchall()
    departments = [v for f, v in values if f == "department"]
    recruiters = [v for f, v in values if f == "recruiter"]
    out = []
    for i in range(sessions):
        parts = []
        if i % 3 != 2:
            parts.append(f"department={departments[i % len(departments)]}")
        if i % 2 == 1:
            parts.append(f"recruiter={recruiters[i % len(recruiters)]}")
        out.append("&".join(parts).replace(" ", "+"))
    return out


async def user(browser, url: str, query: str, pages: list[str], times: list[float],
               pauses: list[float] | None = None) -> None:
    page = await browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        for i, path in enumerate(pages):
            if pauses:
                await asyncio.sleep(pauses[i])
            started = time.perf_counter()
            await page.goto(f"{url}/{path}?{query}", wait_until="commit", timeout=300_000)
            await page.wait_for_function(DRAWN, timeout=300_000, polling=50)
            times.append(time.perf_counter() - started)
    finally:
        await page.close()


async def protocol_user(url: str, query: str, pages: list[str], times: list[float],
                        pauses: list[float] | None = None) -> None:
    """One session over Streamlit's WebSocket: each page asked for as the app's navigation does,
    after a pause (seconds) each when given."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
        for i, path in enumerate(pages):
            if pauses:
                await asyncio.sleep(pauses[i])
            message = BackMsg()
            message.rerun_script.query_string = query
            message.rerun_script.page_name = path
            started = time.perf_counter()
            await ws.send(message.SerializeToString())
            while True:
                reply = ForwardMsg()
                reply.ParseFromString(await ws.recv())
                if reply.WhichOneof("type") == "script_finished":
                    break
            times.append(time.perf_counter() - started)


async def run(urls: list[str], queries: list[str], views: int, server_pids: list[int],
              client: str = "protocol", pages: list[str] = PAGES,
              think: float = 0.0, settle: float = 0.0) -> tuple[list, list]:
    times: list[float] = []
    memory: list[float] = []
    rng = random.Random(5)
    pauses = [[rng.uniform(0, 2 * think) for _ in range(views)] if think else None
              for _ in queries]

    async def sample() -> None:
        while True:
            memory.append(sum(rss_mb(pid) for pid in server_pids))
            await asyncio.sleep(0.2)

    if client == "protocol":
        for url in urls:
            await protocol_user(url, "", [""], [])  # each server opens the database once
        await asyncio.sleep(settle)
        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(
            protocol_user(urls[i % len(urls)], q,
                          [pages[(i + k) % len(pages)] for k in range(views)], times, pauses[i])
            for i, q in enumerate(queries)))
        sampler.cancel()
        memory.append(sum(rss_mb(pid) for pid in server_pids))
        return times, memory
    url, server_pid = urls[0], server_pids[0]

    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        await user(browser, url, "", [""], [])  # the server opens the database once
        await asyncio.sleep(settle)
        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(
            user(browser, url, q, [pages[(i + k) % len(pages)] for k in range(views)], times,
                 pauses[i])
            for i, q in enumerate(queries)))
        sampler.cancel()
        await browser.close()
    memory.append(rss_mb(server_pid))
    return times, memory


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--views", type=int, default=3, help="pages each user opens, one after another")
    p.add_argument("--client", choices=("protocol", "browser"), default="protocol")
    p.add_argument("--pages", type=lambda text: text.split(","), default=PAGES,
                   help="the pages the users go through, by address (home is the empty one)")
    p.add_argument("--think", type=float, default=0.0,
                   help="seconds a user reads a page, on average, before the next (0: none)")
    p.add_argument("--processes", type=int, default=1,
                   help="dashboard processes on the database, each given users in turn (protocol)")
    p.add_argument("--default-view", action="store_true",
                   help="every user with the sidebar's default filters (no department, recruiter)")
    p.add_argument("--settle", type=float, default=0.0,
                   help="seconds to wait after the server opened the database, before the users "
                        "(for its warm-up of every page's default view to finish)")
    args = p.parse_args(argv)
    if args.client == "browser" and args.processes != 1:
        p.error("--processes: the browser client drives one process")
    before = machine_check()
    ports = [free_port() for _ in range(args.processes)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    servers = [start_server(args.db, port) for port in ports]
    try:
        for url in urls:
            wait_healthy(url)
        idle = sum(rss_mb(server.pid) for server in servers)
        users = [""] * args.sessions if args.default_view else user_filters(args.db, args.sessions)
        times, memory = asyncio.run(run(urls, users, args.views, [server.pid for server in servers],
                                        args.client, args.pages, args.think, args.settle))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    print(f"{args.sessions} sessions at once ({args.client}), {args.views} pages each "
          f"({len(times)} first views), {args.processes} dashboard process"
          f"{'' if args.processes == 1 else 'es'}"
          + (f", reading each page {args.think:g} s on average" if args.think else ", back to back"))
    print(f"first view: median {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {percentile(times, 0.95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    print(f"server memory: {idle:.0f} MB started, {max(memory):.0f} MB at most, "
          f"{memory[-1]:.0f} MB at the end")
    print(f"machine check: a fixed loop took {before:.0f} ms before the runs, {machine_check():.0f} ms after")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
