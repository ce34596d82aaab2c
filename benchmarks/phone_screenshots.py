"""Phone-size screenshots (390x844) of Home, logging, the check-in, Insights and the crisis page
for a seeded demo journal, into docs/images (`make screenshots`); `--to DIR`, `--dark` and
`--full` write others for a look while working. The demo is seeded, so pictures change only when
the pages do (and with the date they are made on)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, SIGNED_IN, serving

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"
# name, path, and what to scroll to the top of the screen first ("" for the page's top)
PAGES = (
    ("phone-home", "/", ""),
    ("phone-log", "/uses/new", ""),
    ("phone-checkin", "/checkins/new", ""),
    ("phone-insights", "/insights", "figure.chart"),
    ("phone-crisis", "/crisis", ""),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--to", type=Path, default=OUT)
    parser.add_argument("--dark", action="store_true", help="also in dark mode (name-dark.png)")
    parser.add_argument("--width", type=int, default=PHONE["width"])
    parser.add_argument("--full", action="store_true", help="the whole page, not one screen")
    args = parser.parse_args(argv)
    args.to.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        env = {**os.environ, "MITRA_DATA_DIR": str(data), "MITRA_TIMEZONE": "Europe/London"}
        demo = [sys.executable, "-m", "mitra", "demo", "--days", "60", "--seed", "7"]
        subprocess.run(demo, env=env, check=True, capture_output=True)
        log = Path(folder) / "server.log"
        with serving(data, log) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            schemes = ("light", "dark") if args.dark else ("light",)
            for scheme in schemes:
                context = browser.new_context(
                    viewport={"width": args.width, "height": PHONE["height"]},
                    base_url=url,
                    color_scheme=scheme,  # type: ignore[arg-type]
                    device_scale_factor=1,
                )
                context.add_cookies([SIGNED_IN[url]])
                page = context.new_page()
                for name, path, anchor in PAGES:
                    page.goto(path)
                    if anchor:
                        page.locator(anchor).first.evaluate("e => e.scrollIntoView()")
                    suffix = "" if scheme == "light" else "-dark"
                    target = args.to / f"{name}{suffix}.png"
                    page.screenshot(path=str(target), full_page=args.full)
                    print(f"Wrote {target}")
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
