import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()


def _warm_up() -> None:
    """Build now what every worker would otherwise build in its first requests, so that it is frozen below.

    Measured in-process (issue 14): with only the URL patterns built before the freeze, some 55,000 objects made
    by the first request of each page stayed in the collector's oldest generation (compiled templates, template
    tag libraries, the cache client, the locale formats, the holidays package's 278 modules), and every full
    collection walked them: 12-60 ms inside whichever request it fell into."""
    from pathlib import Path

    from django.conf import settings
    from django.core.cache import caches
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver
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

    A full collection walks every object the process holds; with Django, the apps and the URL patterns that is
    over 100,000 objects, and the request it falls into stalls for 50-150 ms (the maxima of the web bench).
    They live as long as the worker, so `gc.freeze()` moves them out of the collector's reach; only objects made
    after start-up are walked."""
    _warm_up()
    gc.collect()
    gc.freeze()


_freeze_start_up_objects()
