"""One way to paginate a list: the GET parameter `side`, bad or out-of-range numbers fall back to a valid page."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator

PAGE_PARAM = "side"
PAGE_SIZE = 50


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, count: int | None = None) -> Page:
    """The requested page of `queryset`. `page.query` is the query string without the page number,
    for the pager links in `partials/pagination.html`. `count`: how many rows `queryset` holds, when the
    page has already counted them (no COUNT query then)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached_property: set, it is not asked of the database
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    page.query = params.urlencode()  # type: ignore[attr-defined]
    return page


def paginate_rows(
    request, queryset, *, per_page: int = PAGE_SIZE, values: Sequence[str] | None = None
) -> Page:
    """Like `paginate`, for a queryset whose rows carry subqueries or joins that cost something per row.

    The page is chosen over the primary keys alone (sorted and counted without the per-row work), then only
    that page's rows are loaded with everything the queryset annotates. PostgreSQL would otherwise compute
    the annotations of every row it skips to reach a deep page. One query more than `paginate`.

    With `values` (field names, annotations and `a__b` lookups) the page's rows are dicts of those and `pk`
    instead of model objects: for a table of joined rows, building the objects cost more than their query.
    """
    page = paginate(request, queryset.values_list("pk", flat=True), per_page=per_page)
    keys = list(page.object_list)
    if not keys:
        rows = {}
    elif values is None:
        rows = queryset.in_bulk(keys)
    else:
        rows = {row["pk"]: row for row in queryset.filter(pk__in=keys).order_by().values("pk", *values)}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page
