"""One way to paginate a list: the GET parameter `side`, bad or out-of-range numbers fall back to a valid page."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_PARAM = "side"
PAGE_SIZE = 50


def paginate(request, queryset, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `queryset`. `page.query` is the query string without the page number,
    for the pager links in `partials/pagination.html`."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(PAGE_PARAM))
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    page.query = params.urlencode()  # type: ignore[attr-defined]
    return page
