"""Back after «Veiledningsmøtet er ført.» and «Lagre» again logs no second session and counts no hours twice."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from guidance.models import GuidanceSession
from tests.guidance.factories import advisor
from tests.guidance.test_views import _form
from tests.once import ALREADY, CreateForm, check_creates_once, form_token

pytestmark = pytest.mark.django_db


def test_a_session_is_logged_once(client, setting, django_capture_on_commit_callbacks):
    colleague = advisor(full_name="Kari Kollega")
    setting.mine.advisors.add(colleague)
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url=reverse("guidance:session_create", args=[setting.mine.pk]),
            user=setting.vera,
            data=_form(),
            invalid=_form(duration_minutes="mange"),
            made=GuidanceSession.objects.count,
            other_user=colleague,
        ),
    )


def test_the_hours_are_counted_once(client, setting):
    client.force_login(setting.vera)
    url = reverse("guidance:session_create", args=[setting.mine.pk])
    token = form_token(client.get(url).content.decode())
    client.post(url, {**_form(), "engangsnokkel": token})
    response = client.post(url, {**_form(), "engangsnokkel": token}, follow=True)
    assert ALREADY in response.content.decode()
    assert GuidanceSession.objects.aggregate(m=Sum("duration_minutes"))["m"] == 90


def test_changing_a_session_carries_no_token(client, setting):
    client.force_login(setting.vera)
    url = reverse("guidance:session_create", args=[setting.mine.pk])
    client.post(url, _form())  # a post without a token saves as before
    session = GuidanceSession.objects.get()
    page = client.get(reverse("guidance:session_update", args=[session.pk])).content.decode()
    assert "engangsnokkel" not in page
