from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render

from core.pagination import paginate
from core.permissions import require

from . import selectors
from .forms import AuditFilterForm
from .permissions import can_view_log

PAGE_SIZE = 50


@require(can_view_log)
def entry_list(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.entries_filtered(
        actor=request.user,
        person=filters.get("actor"),
        person_search=filters.get("person", ""),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    if form.is_bound and not form.is_valid():
        entries = entries.none()
    page = paginate(request, entries, per_page=PAGE_SIZE)
    return render(
        request, "audit/entry_list.html", {"form": form, "page": page, "person": filters.get("actor")}
    )


@require(can_view_log)
def object_log(request, content_type_id: int, object_id: str):
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404 from None
    entries = selectors.entries_for_object(
        actor=request.user, content_type=content_type, object_id=object_id[:64]
    )
    page = paginate(request, entries, per_page=PAGE_SIZE)
    page.object_list = list(page.object_list)
    if not page.object_list:
        raise Http404
    return render(
        request,
        "audit/object_log.html",
        {
            "page": page,
            "content_type": content_type,
            "object_repr": page.object_list[0].object_repr or f"#{object_id}",
        },
    )
