"""Links for the rows of a long table: `reverse` once per page, not once per row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_PLACEHOLDER = 4_611_686_018_427_387_904  # an id no table holds, to find where the id goes in the path


def url_for_id(viewname: str, *leading: object) -> Callable[[int], str]:
    """`url_for_id("applications:detail")(7)` == `reverse("applications:detail", args=[7])`, for a URL whose
    last argument is an integer id; `leading` are the arguments before it, the same for every row
    (`url_for_id("applications:jury_assign", rp.pk)(m.pk)`). Reversing costs about as much as the rest of
    a table row."""
    path = reverse(viewname, args=[*leading, _PLACEHOLDER])
    head, _found, tail = path.rpartition(str(_PLACEHOLDER))
    return lambda pk: f"{head}{int(pk)}{tail}"
