"""What the programs selectors share: one object of an already scoped queryset, or 404."""

from __future__ import annotations

from django.http import Http404


def first_or_404(qs, **lookup):
    """The first object matching `lookup` in `qs` (already scoped to the person), or 404."""
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
