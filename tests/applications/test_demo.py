import pytest

from applications.models import Application, ApplicationStatus, JuryMember, Review


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_gives_sunnfjord_a_draft(reference_data):
    from accounts import demo as accounts_demo
    from applications import demo
    from programs import demo as programs_demo

    for _ in range(2):
        ctx = {"password": "kulturskole"}
        accounts_demo.seed(ctx)
        programs_demo.seed(ctx)
        demo.seed(ctx)
    draft = Application.objects.get(municipality__number="4647")
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.created_by.email == "kommune@example.org"
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 3
    member = JuryMember.objects.get(user__email="jury@example.org")
    assert Review.objects.filter(jury_member=member).count() == 3
