"""`monev serve`: the production web server — gunicorn running Monev SPBE's WSGI application,
static files served by WhiteNoise from the same process (no separate static server needed).

Workers are processes with threads (gunicorn's gthread worker): a thread waiting on a slow
upload holds no process, and gunicorn's --timeout is then only the workers' heartbeat, so a
100 MB upload over a slow link (15 minutes at 1 Mbit/s) is not cut off. With --threads 1 the
workers are gunicorn's plain sync workers and --timeout limits every request: it then defaults
to 15 minutes for the same reason. SIGTERM stops gracefully: requests under way get
--graceful-timeout seconds to finish.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from monev.lib import production

MAX_DEFAULT_WORKERS = 8  # beyond this, more servers (docs/deploy.md) rather than more workers
SLOW_UPLOAD_SECONDS = 15 * 60
SHM = "/dev/shm"  # noqa: S108 - gunicorn's advice for its heartbeat files, not data


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise CommandError(f"{name} must be a whole number, not {value!r}")
    return int(value)


class Command(BaseCommand):
    help = (
        "Serve Monev SPBE in production with gunicorn (static files included). "
        "Run `monev migrate` and `monev collectstatic` first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("MONEV_BIND", "127.0.0.1:8000"),
            help="address:port or unix:/path to listen on (MONEV_BIND; default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("MONEV_WORKERS", default_workers()),
            help=f"worker processes (MONEV_WORKERS; default 2 x cores + 1, at most "
            f"{MAX_DEFAULT_WORKERS})",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_env_int("MONEV_THREADS", 4),
            help="threads per worker (MONEV_THREADS; default 4; 1 = sync workers)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=None,
            help="seconds before a silent worker is restarted (MONEV_TIMEOUT; default 120, "
            f"or {SLOW_UPLOAD_SECONDS} with --threads 1, where it limits each request)",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=_env_int("MONEV_GRACEFUL_TIMEOUT", 30),
            help="seconds requests under way get to finish on SIGTERM (default 30)",
        )
        parser.add_argument(
            "--access-log",
            action="store_true",
            default=os.environ.get("MONEV_ACCESS_LOG", "").lower() in ("1", "true", "yes"),
            help="also log gunicorn's access line for every request, static files and probes "
            "included (MONEV_ACCESS_LOG=true); pages and API calls are logged by the "
            "monev.request logger anyway, with request id, user and duration",
        )

    def handle(self, *args, **options):
        self._refuse_unready()
        config = gunicorn_config(options)
        # The application is loaded here, before the workers fork (less memory, faster
        # start); no database connection may be inherited by them.
        connections.close_all()
        from monev.web.gunicorn_app import MonevApplication

        MonevApplication(config).run()

    def _refuse_unready(self) -> None:
        if settings.DEBUG:
            raise CommandError(
                "monev serve is the production server and MONEV_DEBUG is true: use "
                "`monev runserver` for development, or set MONEV_DEBUG=false"
            )
        if not os.environ.get("MONEV_ALLOWED_HOSTS", "").strip():
            raise CommandError(
                "Set MONEV_ALLOWED_HOSTS to the host names people use to reach this server "
                "(e.g. monev.example.go.id; 127.0.0.1,localhost for this machine only)"
            )
        if production.static_manifest(os.environ, debug=settings.DEBUG):
            manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
            if not manifest.exists():
                raise CommandError(
                    f"Static files are not collected: run `monev collectstatic --no-input` "
                    f"first (it writes {settings.STATIC_ROOT})"
                )
        if not settings.MONEV_BASE_URL:
            raise CommandError(
                "Set MONEV_BASE_URL to the address people open the site at (e.g. "
                "https://monev.example.go.id): links in workbooks, PDFs and emails use it"
            )


def gunicorn_config(options: dict) -> dict:
    threads = max(1, options["threads"])
    timeout = options["timeout"]
    if timeout is None:
        timeout = _env_int("MONEV_TIMEOUT", 120 if threads > 1 else SLOW_UPLOAD_SECONDS)
    config = {
        "bind": [options["bind"]],
        "workers": max(1, options["workers"]),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": options["graceful_timeout"],
        "keepalive": 5,
        "preload_app": True,
        "proc_name": "monev",
        # No control socket: nothing uses it, and two servers on one machine would share
        # its default path in the home directory.
        "control_socket_disable": True,
        # The log format is Monev's (text or JSON): gunicorn's own lines go through it too.
        "logconfig_dict": gunicorn_logging(access_log=options["access_log"]),
        "errorlog": "-",
        "loglevel": settings.LOGGING["root"]["level"].lower(),
        # The workers' heartbeat files in memory where there is such a place (containers).
        "worker_tmp_dir": SHM if os.path.isdir(SHM) else None,
    }
    return config


def gunicorn_logging(*, access_log: bool) -> dict:
    """Monev's LOGGING with gunicorn's loggers added, so its lines share the format."""
    config = dict(settings.LOGGING)
    loggers = dict(config.get("loggers", {}))
    loggers["gunicorn.error"] = {"handlers": ["console"], "level": "INFO", "propagate": False}
    loggers["gunicorn.access"] = {
        "handlers": ["console"],
        "level": "INFO" if access_log else "WARNING",
        "propagate": False,
    }
    config["loggers"] = loggers
    return config
