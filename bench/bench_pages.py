"""Pages in headless Chromium: the flight deck and the charge-rate drill-down on the demo data.

Goals: every chart drawn <= 1 s after navigation; <= 1.5 MB of script transferred, compressed.

The app runs as in production: DEBUG off, static files collected by whitenoise's
CompressedManifestStaticFilesStorage (gzip beside each file, hashed names), served by gunicorn
with two workers. The data is the demo set (`make run`'s), in its own SQLite file under
bench-out/ so this bench neither needs nor disturbs the PostgreSQL bench database: what it
measures is the browser's work (fetching, parsing and running script, drawing charts);
bench_flight_deck measures the server's time on PostgreSQL. The demo set loads once and is
skipped on later runs (soteria/dataloads.py).

Each page is opened ROUNDS times in a fresh browser context (an empty HTTP cache, as on a first
visit) and then once more in the same context (the cache warm, as on every later visit). The
"first screen" is when what a reader sees without scrolling (the 1280x720 window) is there:
the first contentful paint, or if later, the moment the charts in that window are drawn
(static/js/charts.js marks it), in milliseconds since navigation started. "Every chart" is
when the last chart below the window is drawn (also marked). Marks and the paint timing API
record the moment itself; polling from Playwright would wait for the busy main thread. Charts below the first screen are drawn when they scroll near
or when the browser is idle (static/js/charts.js); the time until every chart is drawn is
printed too. Script bytes are the resource timing
API's encodedBodySize (the bytes on the wire, before decompression) of every .js file
(plotly is fetched by a preload link, so its initiator is a link, not a script).
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROUNDS = 5
FORCE = "avon-and-somerset"
PAGES = {
    "flight deck": f"/forces/{FORCE}/flight-deck/",
    "charge-rate drill-down": f"/forces/{FORCE}/kpis/charge-rate/",
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# static/js/charts.js marks when the charts in the first screen (the 1280x720 window before any
# scrolling) are drawn and when every chart is; a page without charts has neither.
DRAWN = """() => document.readyState === "complete" && (
  !document.querySelector("[data-figure]")
  || performance.getEntriesByName("charts-all-drawn").length > 0)"""
TIMES = """() => {
  const at = name => (performance.getEntriesByName(name)[0] || {}).startTime;
  // Chromium sometimes records no paint entry (a page painted from its cache): then the
  // load event, which comes later, stands in for it.
  const paint = at("first-contentful-paint")
    ?? performance.getEntriesByType("navigation")[0].loadEventEnd;
  const charts = document.querySelectorAll("[data-figure]").length;
  const shown = [...document.querySelectorAll("[data-figure]")]
    .filter(chart => chart.getBoundingClientRect().top < window.innerHeight).length;
  const firstScreen = shown ? Math.max(paint, at("charts-first-screen-drawn")) : paint;
  const all = charts ? at("charts-all-drawn") : performance.now();
  return [firstScreen, all, charts, shown];
}"""
SCRIPT_BYTES = """() => performance.getEntriesByType("resource")
  .filter(e => new URL(e.name).pathname.endsWith(".js"))
  .reduce((sum, e) => [sum[0] + e.encodedBodySize, sum[1] + e.decodedBodySize], [0, 0])"""


def environment(*, debug: bool) -> dict[str, str]:
    database = ROOT / "bench-out" / "pages.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": str(debug),
        "SECRET_KEY": "bench-pages-not-a-secret-0123456789abcdef0123456789",
        "PSEUDONYM_KEY": "dev-only-pseudonym-key",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(*args: str, debug: bool) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment(debug=debug),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare() -> None:
    (ROOT / "bench-out").mkdir(exist_ok=True)
    started = time.perf_counter()
    for command in ("migrate", "load_reference_data", "create_demo_users", "load_demo_data"):
        manage(command, debug=True)
    manage("collectstatic", "--noinput", debug=False)
    print(f"demo data and collected static files ready in {time.perf_counter() - started:.1f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "soteria.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=environment(debug=False),
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://localhost:{port}/health/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /health/")


def visit(page, url: str) -> tuple[float, float, float, int, int, int, int]:
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=60_000)
    first_screen_ms, drawn_ms, charts, on_screen = page.evaluate(TIMES)
    parsed_ms = page.evaluate(
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventStart"
    )
    encoded, decoded = page.evaluate(SCRIPT_BYTES)
    return first_screen_ms, drawn_ms, parsed_ms, encoded, decoded, charts, on_screen


def measure(base: str) -> None:
    import django

    django.setup()
    from soteria.services import DEMO_PASSWORD

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        signing_in = browser.new_context()
        page = signing_in.new_page()
        page.goto(f"{base}/login/")
        page.get_by_label("Username").fill(f"{FORCE.split('-')[0][:5]}-chief-officer")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        state = signing_in.storage_state()
        signing_in.close()
        for name, path in PAGES.items():
            first, cold, ready, warm, sizes, page_charts = [], [], [], [], set(), set()
            for _ in range(ROUNDS):
                context = browser.new_context(storage_state=state)
                page = context.new_page()
                shown, drawn, parsed, encoded, decoded, charts, on_screen = visit(page, base + path)
                first.append(shown)
                cold.append(drawn)
                ready.append(parsed)
                page_charts.add((charts, on_screen))
                sizes.add((encoded, decoded))
                warm.append(visit(page, base + path)[0])
                context.close()
            (charts, on_screen), *_ = sorted(page_charts)
            (encoded, decoded), *_ = sorted(sizes)
            spread = ", ".join(f"{ms:.0f}" for ms in first)
            print(
                f"{name} ({charts} charts, {on_screen} on the first screen): the first screen "
                f"ready {statistics.median(first):.0f} ms after navigation on a first visit "
                f"(runs: {spread}), {statistics.median(warm):.0f} ms with the cache warm (medians "
                f"of {ROUNDS}; goal <= 1000 ms); every chart drawn by "
                f"{statistics.median(cold):.0f} ms (runs: {', '.join(f'{ms:.0f}' for ms in cold)}); "
                f"DOMContentLoaded at {statistics.median(ready):.0f} ms; load average {os.getloadavg()[0]:.1f}"
            )
            print(
                f"{name}: script {encoded / 1e6:.2f} MB transferred compressed "
                f"({decoded / 1e6:.2f} MB uncompressed; goal <= 1.5 MB)"
            )
        browser.close()


def main() -> None:
    prepare()
    port = free_port()
    server = serve(port)
    try:
        measure(f"http://localhost:{port}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
