"""`sendhub serve`: the production web server (gunicorn) running sendhub's WSGI application.

Run it behind a TLS proxy (docs/deploy.md). One line per request is logged by sendhub itself
(sendhub.web.middleware.RequestLogMiddleware, key=value on stdout, no query strings), so gunicorn's own
access log, which would print query strings, stays off; its error log goes to stdout in the same format.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

DEFAULT_BIND = "127.0.0.1:8000"


def default_workers() -> int:
    """WEB_CONCURRENCY (the usual variable for this) or 2 × CPUs + 1, at most 8: pages are database-bound,
    so a few more processes than cores keep the CPUs busy; each costs about 150 MB."""
    value = os.environ.get("WEB_CONCURRENCY")
    if value:
        return int(value)
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_options(*, bind: str, workers: int, timeout: int) -> dict:
    logging_config = dict(settings.LOGGING)
    logging_config["loggers"] = {
        **settings.LOGGING.get("loggers", {}),
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    }
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "sync",
        # Slow requests (a PDF, a cold dashboard) take seconds; a worker stuck for a minute is killed.
        "timeout": timeout,
        "graceful_timeout": 30,
        # Recycle workers now and then so a slow leak never grows without bound.
        "max_requests": 1000,
        "max_requests_jitter": 100,
        "accesslog": None,
        "errorlog": "-",
        "logconfig_dict": logging_config,
        # Whether a request came over HTTPS is Django's decision (SENDHUB_TRUST_X_FORWARDED_PROTO): gunicorn
        # must not believe X-Forwarded-Proto from local addresses on its own, as it does by default.
        "forwarded_allow_ips": "",
        "proc_name": "sendhub",
    }


class Command(BaseCommand):
    help = "Serve sendhub with gunicorn (production). Bind, workers and timeout have sensible defaults."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("SENDHUB_BIND", DEFAULT_BIND),
                            help=f"address:port or unix:PATH to listen on (default SENDHUB_BIND or {DEFAULT_BIND})")
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes (default WEB_CONCURRENCY or 2 × CPUs + 1, at most 8)")
        parser.add_argument("--timeout", type=int, default=int(os.environ.get("SENDHUB_WORKER_TIMEOUT", "60")),
                            help="seconds before a stuck worker is restarted (default SENDHUB_WORKER_TIMEOUT or 60)")

    def handle(self, *args, bind, workers, timeout, **options):
        from gunicorn.app.base import BaseApplication

        workers = workers if workers is not None else default_workers()
        if workers < 1 or timeout < 1:
            raise CommandError("--workers and --timeout must be 1 or more")
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: fine for trying gunicorn locally, never for a real installation.")
        config = gunicorn_options(bind=bind, workers=workers, timeout=timeout)

        class Application(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                from sendhub.wsgi import application

                return application

        # The checks that ran before this may have opened a connection: workers must not share it.
        connections.close_all()
        Application().run()
