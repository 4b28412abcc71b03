import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()


def _freeze_start_up_objects() -> None:
    """Leave what start-up built out of every later garbage collection (issue 14).

    A full collection walks every object the process holds; with Django, the apps and the URL patterns that is
    over 100,000 objects, and the request it falls into stalls for 50-150 ms (the maxima of the web bench).
    They live as long as the worker, so `gc.freeze()` moves them out of the collector's reach; only objects made
    after start-up are walked."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views now, not in the first request
    gc.collect()
    gc.freeze()


_freeze_start_up_objects()
