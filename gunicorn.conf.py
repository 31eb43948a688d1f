"""gunicorn settings for `make run`: 2 workers sharing one preloaded app (and its indexes)."""

import gc
import os

bind = os.environ.get("GOUDENPOORT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GOUDENPOORT_WORKERS", "2"))
preload_app = True
timeout = 60
accesslog = None  # the app writes its own structured access log without personal data


def when_ready(server):  # type: ignore[no-untyped-def]
    """Build the in-memory indexes once in the master, so forked workers share them."""
    from goudenpoort.warmup import warm_up_app
    from wsgi import app

    warm_up_app(app)
    # Move everything built so far (app, taxonomy, indexes: millions of objects) out of the
    # garbage collector's view: full collections in the workers then skip it, which removes
    # the 100 ms+ pauses seen in match-latency tails, and forked pages stay shared.
    gc.collect()
    gc.freeze()


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """Drop connections inherited from the master: a socket must never be shared across forks."""
    from goudenpoort.db import get_db
    from wsgi import app

    get_db(app).engine.dispose(close=False)
