"""The production settings (read from the environment, as `make serve` runs them), for bench/pages.py:
the site's addresses and a bare Django view beside them (`bench.urls`)."""

from newsreader.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
