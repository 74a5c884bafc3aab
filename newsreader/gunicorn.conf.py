"""gunicorn's settings for `make serve` and bench/pages.py, from the environment.

Sync workers (one request at a time each): the pages are CPU-bound Python and
cached pages answer in well under a millisecond, so more processes, not
threads, is how to use more cores. GUNICORN_WORKERS defaults to 2 (this
project's machines have two cores); a common rule is 2 × cores + 1.
"""

from newsreader.env import env_int, env_str

wsgi_app = "newsreader.wsgi:application"
bind = env_str("GUNICORN_BIND", "127.0.0.1:8000")
workers = env_int("GUNICORN_WORKERS", 2, minimum=1)
threads = env_int("GUNICORN_THREADS", 1, minimum=1)
# Load Django once, before forking: workers share its memory and start at once.
preload_app = True
timeout = 30
graceful_timeout = 20
# "-" writes an access log line per request to stdout; none by default (it costs throughput).
accesslog = env_str("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# gunicorn's control socket lives in one path per user by default: several
# servers on a machine (a bench beside `make serve`) would fight over it.
control_socket_disable = True
