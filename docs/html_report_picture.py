"""Writes docs/images/html-report.png, the README's picture of the HTML report.

    python docs/html_report_picture.py

Validates three of our samples with the command line (`--format html`),
then has Debian's chromium, headless, take a screenshot of the top of the
page: the totals, the files, the rules across them and the first invalid
file with its findings and its highlighted source lines. Run it again when
the page's look changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "images" / "html-report.png"
SAMPLES = (
    "samples/valid/jp/standard-mixed-rates.xml",
    "samples/invalid/jp/missing-seller-tax-id.xml",
    "samples/invalid/jp/unknown-currency-code.xml",
)
WINDOW = "1100,1740"


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("needs Debian's chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        completed = subprocess.run(
            [sys.executable, "-m", "jppint", "validate", "--lang", "en", "--format", "html", "-o", str(page), *SAMPLES],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if not page.exists():
            sys.exit(f"jppint wrote no page: {completed.stderr}")
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={Path(folder) / 'profile'}",
                f"--window-size={WINDOW}",
                f"--screenshot={PICTURE}",
                page.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
    print(f"{PICTURE.relative_to(ROOT)}: {PICTURE.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
