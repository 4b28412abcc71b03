import pytest
from django.db.models import Count
from django.test import RequestFactory

from accounts.models import User
from core.pagination import paginate_rows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_paginate_rows_gives_the_page_in_order_with_annotations_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    for i in range(7):
        UserFactory(email=f"p{i}@example.org", full_name=f"Person {i}", leadership=i % 2 == 0)
    people = User.objects.annotate(roles=Count("role_assignments")).order_by("-full_name")
    request = RequestFactory().get("/x/", {"side": "2", "q": "a"})
    with django_assert_num_queries(3):  # count, the page's keys, the page's rows
        page = paginate_rows(request, people, per_page=3)
        rows = [(u.full_name, u.roles) for u in page.object_list]
    assert rows == [("Person 3", 0), ("Person 2", 1), ("Person 1", 0)]
    assert page.paginator.num_pages == 3
    assert page.query == "q=a"


def test_paginate_rows_can_give_the_page_as_values(django_assert_num_queries):
    for i in range(5):
        UserFactory(email=f"v{i}@example.org", full_name=f"Verdi {i}", leadership=i < 2)
    people = User.objects.annotate(roles=Count("role_assignments")).order_by("full_name")
    request = RequestFactory().get("/x/", {"side": "1"})
    with django_assert_num_queries(3):
        page = paginate_rows(request, people, per_page=2, values=("full_name", "roles"))
    assert [(row["full_name"], row["roles"]) for row in page.object_list] == [("Verdi 0", 1), ("Verdi 1", 1)]
    assert isinstance(page.object_list[0]["pk"], int)
    assert page.paginator.num_pages == 3
