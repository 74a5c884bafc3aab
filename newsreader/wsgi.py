"""WSGI entry point, for gunicorn or any other WSGI server.

Word lookup's lexicon is loaded here, once, before the first request:
gunicorn imports this module before it forks its workers (`preload_app`), so
they share one copy and no reader waits for it; `runserver` loads it here
too. Management commands do not import this module and do not load it.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")

application = get_wsgi_application()

from articles.words.lookup import word_analyser_preload  # noqa: E402 (needs the settings loaded above)

word_analyser_preload()

# What is loaded by now (Django, the URL patterns, the lexicon's 130,000 objects) lives as long as
# the process: the garbage collector need not walk it again at every full collection, and workers
# forked from here do not copy the pages it would touch doing so.
gc.collect()
gc.freeze()
