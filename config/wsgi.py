import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()


def _warm_up() -> None:
    """Build now what every worker would otherwise build in its first requests, so that it is frozen below.

    Measured (issue 14, 16 pages x 17 requests x 3 rounds in-process, and gunicorn with 2 workers): with only the
    URL patterns built before the freeze, some 55,000 objects made by the first request of each page stayed in
    the collector's oldest generation (compiled templates, tag libraries, reverse()'s lookups, the cache client,
    the holidays package's 278 modules), and each full collection walked them: 23 ms of CPU (60-80 ms on a busy
    machine) inside whichever request it fell into, in the web bench the guidance page's. With them frozen, 7 ms.
    And a worker's first request of a page no longer builds them: the first request of a worker cost 250 ms of
    CPU, now 80 (its database and Redis connections, its menu); the bench's two warm-up requests of a page may
    both go to the other worker. Raising gc.set_threshold was measured too, and made the pauses longer: more
    garbage per collection."""
    from pathlib import Path

    from django.conf import settings
    from django.core.cache import caches
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import NoReverseMatch, get_resolver, reverse
    from django.utils import formats, timezone, translation

    get_resolver().url_patterns  # noqa: B018 - imports every app's views now, not in the first request
    for engine in engines.all():
        inner = getattr(engine, "engine", None)
        if inner is None:
            continue
        inner.template_context_processors  # noqa: B018 - imports the context processors
        # Every project template compiled into the cached loader (the Django admin's and third parties' only as
        # they are used): about 0.3 s once per worker.
        for folder in inner.dirs:
            for path in Path(folder).rglob("*"):
                if path.is_file() and path.suffix in {".html", ".txt", ".ics", ".xml"}:
                    try:
                        inner.get_template(path.relative_to(folder).as_posix())
                    except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                        continue
    for alias in settings.CACHES:
        backend = caches[alias]
        getattr(backend, "_cache", None)  # the Redis backend imports redis and builds its client here
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # reverse()'s lookups, with the patterns' regexes compiled, for the root and then each app's namespace
            # (reverse() builds a resolver per namespace): a worker's first pages built them, 150 ms and more
            for namespace, (_prefix, app_resolver) in get_resolver().namespace_dict.items():
                name = next((key for key in app_resolver.reverse_dict if isinstance(key, str)), None)
                try:
                    reverse(f"{namespace}:{name}")
                except NoReverseMatch:
                    continue  # a name that takes arguments: its namespace's lookups are built all the same
            translation.gettext("Veiledning")
            for name in ("DATE_FORMAT", "DATETIME_FORMAT", "DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR"):
                formats.get_format(name)
    try:
        from gatherings.warnings import public_holidays_on
    except ImportError:
        return
    public_holidays_on([timezone.localdate()])  # imports the holidays package's country modules


def _freeze_start_up_objects() -> None:
    """Leave what start-up built out of every later garbage collection (issue 14).

    A full collection walks every object the process holds; with Django, the apps, the URL patterns and the
    templates that is some 190,000 objects. They live as long as the worker, so `gc.freeze()` moves them out of
    the collector's reach; only objects made after start-up are walked."""
    _warm_up()
    gc.collect()
    gc.freeze()


_freeze_start_up_objects()
