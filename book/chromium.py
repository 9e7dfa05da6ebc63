"""Debian's chromium driven by Playwright, headless and offline: used by the PDF (book/pdf.py)
and by the browser tests (tests/conftest.py). Playwright's own browser download is never used."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "install Debian's chromium (apt-get install chromium)"
# No sandbox (containers, root), no GPU, and nothing that reaches out to the network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright):
    """A headless Chromium browser from a running sync_playwright() context."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
