from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from guidance import selectors
from guidance.models import DevelopmentPlanRevision, GuidanceAgreement, GuidanceSession


def test_seed_demo_fills_the_advisor_dashboard_and_is_idempotent(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    sessions = GuidanceSession.objects.count()
    call_command("seed_demo")  # idempotent
    assert GuidanceSession.objects.count() == sessions >= 20

    vera = User.objects.get(email="veileder@example.org")
    dash = selectors.advisor_dashboard(user=vera)
    assert len(dash.agreements) == 4
    assert [a.municipality.name for a in dash.agreements if a.municipality.number == "4647"] == ["Sunnfjord"]
    assert len(dash.over_frame) == 1
    assert len(dash.not_met) == 1
    assert len(dash.upcoming) == 3
    assert {a.frame_state for a in dash.agreements} == {"ok", "near", "over"}
    assert GuidanceAgreement.objects.filter(declined_on__isnull=False).count() == 1
    assert DevelopmentPlanRevision.objects.filter(plan__municipality__number="4647").count() == 3

    client.force_login(vera)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Veiledning: mine kommuner" in body
    assert "Sunnfjord" in body
    contact = User.objects.get(email="kommune@example.org")
    client.force_login(contact)
    sunnfjord = GuidanceAgreement.objects.get(municipality__number="4647")
    response = client.get(reverse("guidance:agreement_detail", args=[sunnfjord.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vi prøvde ut en møtestruktur" in body  # a shared summary
    assert "bærer mye alene" not in body  # an internal note of the same log


def test_demo_agreements_tell_a_consistent_story(db, settings):
    """The tester saw 'Kari Koordinator, ingrid.sunnfjord@…', an agreement ending before the programme, and
    sessions linked to a plan version written weeks later."""
    from django.db.models import Max
    from django.utils import timezone

    from gatherings.models import Semester
    from programs.models import MunicipalGroup

    settings.DEBUG = True
    call_command("seed_demo")
    agreements = list(GuidanceAgreement.objects.select_related("regional_program", "municipality"))
    assert agreements
    for agreement in agreements:
        group = MunicipalGroup.objects.get(
            regional_program=agreement.regional_program, municipality=agreement.municipality
        )
        assert (agreement.municipal_contact_name, agreement.municipal_contact_email) == (
            group.coordinator_name,
            group.coordinator_email,
        )
        last = Semester.objects.filter(regional_program=agreement.regional_program).aggregate(
            last=Max("ends_on")
        )["last"]
        assert last is not None
        assert agreement.ends_on == last
    sessions = GuidanceSession.objects.select_related("plan_revision", "agreement")
    linked = [s for s in sessions if s.plan_revision is not None]
    assert linked
    for session in linked:
        assert timezone.localdate(session.plan_revision.created_at) <= session.held_on
    for session in sessions:
        if session.next_session_at:
            assert timezone.localdate(session.next_session_at) <= session.agreement.ends_on
