"""`make screenshots` (`python -m tools.screenshots`): what each role sees first, as PNGs.

Loads the demo into a throwaway data directory (its own SQLite database, evidence files and
logins, removed afterwards), serves it with `monev runserver` on a free loopback port, signs in
as each role through the sign-in form in headless chromium (Debian's, as the browser tests use
it) and photographs the role's main page at 1366 x 900 and 390 x 844: the viewport only, not
the whole page, colour-reduced to keep the files small. The pictures go to docs/screenshots/ and
their list to docs/screenshots.md, both rewritten on every run.

Needs the dev dependencies (Playwright) and chromium; takes about a minute.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "docs" / "screenshots"
LISTING = ROOT / "docs" / "screenshots.md"
WIDTHS = [(1366, 900), (390, 844)]
BANDUNG = "Pemerintah Kota Bandung (DEMO)"  # monev.demo.data.INSTITUTION["name"]
LOMBOK_TIMUR = "Pemerintah Kabupaten Lombok Timur (DEMO)"  # monev.demo.pemdi_data
COLOURS = 256  # a palette PNG: a screen of text and flat colours loses nothing visible
TIMEOUT_MS = 30_000


def say(message: str) -> None:
    print(f"[screenshots] {message}", flush=True)


# --- where each role starts --------------------------------------------------------------------


def landing(page) -> None:
    """Where signing in lands: the leader's view, the evaluation round, the period list."""


def bandung_link(href_end: str) -> Callable:
    """From the period list, the Kota Bandung period's link whose address ends so."""

    def go(page) -> None:
        row = page.get_by_role("row").filter(has_text=BANDUNG)
        row.locator(f"a[href$='{href_end}']").first.click()
        page.wait_for_load_state("networkidle")

    return go


def bandung_overview(page) -> None:
    page.get_by_role("row").filter(has_text=BANDUNG).get_by_role("link", name=BANDUNG).click()
    page.wait_for_load_state("networkidle")


def assessor_queue(page) -> None:
    page.locator("header a[href='/asesor/antrian/']").click()
    page.wait_for_load_state("networkidle")


def lombok_timur_answer(page) -> None:
    """The external assessor's item checklist of Lombok Timur's first indicator."""
    page.locator("header a[href='/asesor/antrian/']").click()
    page.locator("tbody tr").filter(has_text=LOMBOK_TIMUR).first.get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#items").evaluate("items => items.scrollIntoView({block: 'start'})")


@dataclass(frozen=True)
class Shot:
    name: str  # the file's stem
    username: str
    title: str  # what the listing says it shows
    go: Callable


SHOTS = [
    Shot(
        "koordinator",
        "koordinator",
        "Koordinator: the period overview (Kota Bandung, 2025)",
        bandung_overview,
    ),
    Shot(
        "operator",
        "operator",
        "Operator unit: what the operator's units still owe",
        bandung_link("/tugas/"),
    ),
    Shot(
        "asesor-internal",
        "asesor.internal",
        "Asesor internal: the review queue",
        bandung_link("/antrian/"),
    ),
    Shot(
        "asesor-eksternal",
        "asesor.eksternal",
        "Asesor eksternal: the assessment queue across institutions",
        assessor_queue,
    ),
    Shot(
        "asesor-eksternal-butir",
        "asesor.eksternal",
        "Asesor eksternal: judging the items of an answer (Lombok Timur, Indeks Pemdi 2026)",
        lombok_timur_answer,
    ),
    Shot("pimpinan", "pimpinan", "Pimpinan: the leader's view", landing),
    Shot("admin", "admin", "Admin: the period list", landing),
    Shot(
        "evaluator",
        "evaluator",
        "Evaluator nasional: the progress of the evaluation round",
        landing,
    ),
]


# --- the throwaway server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def monev(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "monev"), *args], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def serve(env: dict, port: int) -> subprocess.Popen:
    """`monev runserver` in its own session (so that stopping it stops its children too)."""
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(BIN / "monev"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server exited ({server.returncode})") from None
            time.sleep(0.2)
    stop(server)
    raise SystemExit("the server did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def read_logins(data_dir: Path) -> dict[str, str]:
    """demo-logins.txt: username, password, label, tab-separated (monev.demo.loader)."""
    lines = (data_dir / "demo-logins.txt").read_text().splitlines()
    return {parts[0]: parts[1] for parts in (line.split("\t") for line in lines) if len(parts) == 3}


# --- the pictures -------------------------------------------------------------------------------


def compress(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


def photograph(base_url: str, logins: dict[str, str], shots: list[Shot]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed: sudo apt-get install chromium")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
        for shot in shots:
            for width, height in WIDTHS:
                context = browser.new_context(
                    base_url=base_url,
                    viewport={"width": width, "height": height},
                    locale="id-ID",
                    device_scale_factor=1,
                )
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                page.goto("/masuk/")
                page.locator("input[name=username]").fill(shot.username)
                page.locator("input[name=password]").fill(logins[shot.username])
                page.locator("main form button[type=submit]").click()
                page.wait_for_load_state("networkidle")
                shot.go(page)
                path = OUT / f"{shot.name}-{width}.png"
                page.screenshot(path=path, full_page=False, animations="disabled")
                compress(path)
                written.append(path)
                say(f"{path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
                context.close()
        browser.close()
    return written


def write_listing(shots: list[Shot]) -> None:
    lines = [
        "# Screenshots",
        "",
        "What each role of the demo sees first, on a laptop (1366 x 900) and on a phone",
        "(390 x 844): the visible part of the page, as the demo stands the day it is loaded.",
        "`make screenshots` makes them again (`tools/screenshots.py`: the demo in a throwaway",
        "database, served on loopback, photographed in headless chromium) and rewrites this page;",
        "do not edit it by hand. The journeys behind these pages are tested in",
        "`tests/browser/test_browser_demo_journeys.py` (see [testing.md](testing.md)).",
        "",
    ]
    for shot in shots:
        lines += [f"## {shot.title}", ""]
        lines += [
            f"![{shot.title}, {width} px wide](screenshots/{shot.name}-{width}.png)"
            for width, _height in WIDTHS
        ]
        lines.append("")
    LISTING.write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__)
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="only this picture (repeatable)"
    )
    chosen = parser.parse_args(argv).only
    shots = [shot for shot in SHOTS if not chosen or shot.name in chosen]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="monev-screenshots-") as data_dir:
        env = {**os.environ, "MONEV_DATA_DIR": data_dir, "MONEV_DEBUG": "true"}
        env.pop("DATABASE_URL", None)  # SQLite in the throwaway directory
        say("migrating and loading the demo into a throwaway database ...")
        monev(env, "migrate", "--no-input")
        monev(env, "demo")
        port = free_port()
        server = serve(env, port)
        try:
            photograph(f"http://127.0.0.1:{port}", read_logins(Path(data_dir)), shots)
        finally:
            stop(server)
    if not chosen:
        write_listing(shots)
        say(f"{LISTING.relative_to(ROOT)} lists them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
