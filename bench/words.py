"""Word lookup's speed: a word not seen before, from the lexicon, through the API under the real
server, and from a click to a filled panel in a browser; beside baselines measured in the same run.

    .venv/bin/python bench/words.py [--words 400] [--clicks 60] [--no-browser]

1. In process: loading Buckwalter's lexicon in a fresh interpreter (what the WSGI application does
   once before gunicorn forks), then the analysis of each distinct word of NewsFANE
   (../shared/data/newsfane/), clitics attached as pages write them.
2. Under gunicorn with production settings (bench.settings: DJANGO_DEBUG=0, 2 workers, a file
   cache, the seed imported into a throwaway SQLite database), one request at a time as the
   panel sends them: the bare Django view (the floor), `/api/words/?w=` for words never asked
   before (each once: computed, not stored), and a word's cached answer (asked until stored).
   The first word asked right after the server starts is timed apart: the lexicon is preloaded,
   so it must cost what the others cost.
3. In Debian's chromium (Playwright; `--no-browser` skips it): on the seed's page, a click on each
   distinct word of its paragraphs, from the click to the panel showing the word's readings (or
   "no analysis"), for words neither the page nor the server has seen.

Latencies are medians, 95th percentiles and maxima in milliseconds. The machine may be busy:
the bare view's figures, measured in the same run, are what to compare with.
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import ROOT, SHARED_DATA, free_port, served_environment  # noqa: E402

SEED = ROOT / "seeds" / "000_f43ac9fcd8114102.txt"
CORPUS = SHARED_DATA / "newsfane" / "NewsFANE_Gold_2014_shared.txt"
PROCLITICS = {"و", "ف", "ب", "ل", "ك", "س"}  # separate tokens in NewsFANE
ARABIC_WORD = re.compile(r"^[\u0621-\u064a\u0671-\u06d3\u064b-\u0652\u0640]+$")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def corpus_words() -> list[str]:
    """NewsFANE's words in order of first appearance, proclitics joined back to the word after."""
    words, pending = [], ""
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        token = line.partition("\t")[0].replace("\u200e", "").strip()
        if not token:
            continue
        if token in PROCLITICS:
            pending += token
            continue
        token, pending = pending + token, ""
        if ARABIC_WORD.match(token):
            words.append(token)
    return list(dict.fromkeys(words))


def summary(milliseconds: list[float]) -> str:
    ordered = sorted(milliseconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.2f} | p95 {p95:7.2f} | max {ordered[-1]:7.2f} | n {len(ordered)}"


def in_process(words: list[str]) -> list[tuple[str, str]]:
    """The lexicon's load in fresh interpreters, then each word's analysis in this one."""
    probe = (
        "import time; began = time.perf_counter(); from arabic.lexicon import lexicon; lexicon(); "
        "print(1000 * (time.perf_counter() - began))"
    )
    loads = [
        float(subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True).stdout)
        for _ in range(3)
    ]
    from arabic.lexicon import lexicon

    analyser = lexicon()
    timings, found = [], 0
    for word in words:
        began = time.perf_counter()
        found += bool(analyser.analyses(word))
        timings.append(1000 * (time.perf_counter() - began))
    return [
        ("lexicon load, fresh interpreter (3 runs)", summary(loads)),
        (f"analysis of a word ({found} of {len(words)} found)", summary(timings)),
    ]


def fetch(url: str) -> float:
    """Milliseconds for one GET, a new connection as a browser's first request to a sync worker."""
    began = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return 1000 * (time.perf_counter() - began)


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer {url}")


# A capture listener stamps the click; a MutationObserver stamps the panel's readings (or "no
# analysis") appearing. Run by Playwright (not subject to the page's Content-Security-Policy).
WATCH = """() => {
  window.__lookups = [];
  document.addEventListener('click', () => { window.__clicked = performance.now(); }, true);
  new MutationObserver(() => {
    const body = document.querySelector('#word-panel .word-panel-body');
    if (window.__clicked && body && body.querySelector('.word-reading, .word-none, .word-failed')) {
      window.__lookups.push(performance.now() - window.__clicked);
      window.__clicked = 0;
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""
# The distinct words of the paragraphs, each with a point on one of its plain letters (not
# inside a link, which a click would follow).
TARGETS = """() => {
  const seen = new Set(), targets = [];
  document.querySelectorAll('.rows .cell-original > p').forEach((p, paragraph) => {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('a')) { continue; }
      for (const match of node.data.matchAll(/[\\u0621-\\u064a\\u0640-\\u0652]+/g)) {
        if (seen.has(match[0])) { continue; }
        seen.add(match[0]);
        targets.push({ paragraph, offset: match.index + Math.floor(match[0].length / 2), word: match[0],
                       nth: [...p.childNodes].indexOf(node) });
      }
    }
  });
  return targets;
}"""
POINT = """({ paragraph, nth, offset }) => {
  const p = document.querySelectorAll('.rows .cell-original > p')[paragraph];
  const node = p.childNodes[nth];
  const range = document.createRange();
  range.setStart(node, offset); range.setEnd(node, offset + 1);
  range.startContainer.parentElement.scrollIntoView({ block: 'center' });
  const box = range.getClientRects()[0];
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
}"""


def in_browser(base: str, path: str, clicks: int) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + path)
        page.evaluate("document.fonts.ready")
        page.evaluate(WATCH)
        targets = page.evaluate(TARGETS)[:clicks]
        for target in targets:
            page.keyboard.press("Escape")
            point = page.evaluate(POINT, target)
            page.mouse.click(point["x"], point["y"])
            page.wait_for_function("(n) => window.__lookups.length >= n", arg=targets.index(target) + 1)
        timings = page.evaluate("window.__lookups")
        browser.close()
    return [(f"click → panel filled, chromium, {len(timings)} words never asked", summary(timings))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=400, help="distinct words asked of the API, each once")
    parser.add_argument("--clicks", type=int, default=60, help="distinct words clicked in the browser")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="newsreader-words-"))
    env = served_environment(folder=folder, database_url=f"sqlite:///{folder / 'bench.sqlite3'}", workers=args.workers)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from articles.importing import file_import

    call_command("migrate", verbosity=0)
    article = file_import(path=SEED).article
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    connections.close_all()

    words = corpus_words()
    rows = in_process(words)
    asked = words[: args.words]

    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "newsreader/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    api = base + "/api/words/?w="
    try:
        began = time.monotonic()
        wait_until_up(base + "/bench/bare/")
        started = time.monotonic() - began
        first = fetch(api + quote(asked[0]))  # the first word after the start: the lexicon is loaded already
        bare = [fetch(base + "/bench/bare/") for _ in range(len(asked))]
        cold = [fetch(api + quote(word)) for word in asked[1:]]
        for _ in range(3):
            fetch(api + quote(asked[0]))  # asked again: stored
        hits = [fetch(api + quote(asked[0])) for _ in range(len(asked))]
        rows += [
            (f"gunicorn up (lexicon preloaded before forking), {args.workers} workers", f"{1000 * started:.0f} ms"),
            ("first /api/words/ request after the start", f"{first:.2f} ms"),
            ("bare Django view (baseline)", summary(bare)),
            ("/api/words/?w= a word never asked (computed)", summary(cold)),
            ("/api/words/?w= the same word, cached", summary(hits)),
        ]
        if not args.no_browser:
            rows += in_browser(base, article.get_absolute_url(), args.clicks)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\nWord lookup, {len(words):,} distinct NewsFANE words; milliseconds\n")
    width = max(len(name) for name, _ in rows)
    for name, figures in rows:
        print(f"{name:<{width}} | {figures}")


if __name__ == "__main__":
    main()
