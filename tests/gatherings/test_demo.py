import pytest

from gatherings.models import Gathering, HandIn, Registration, RegistrationStatus


@pytest.mark.django_db
def test_demo_has_a_programme_in_its_second_semester_with_past_and_upcoming_gatherings(reference_data):
    from accounts import demo as accounts_demo
    from gatherings import demo
    from programs import demo as programs_demo

    for _ in range(2):
        ctx = {"password": "kulturskole"}
        accounts_demo.seed(ctx)
        programs_demo.seed(ctx)
        demo.seed(ctx)
    region = ctx["gatherings_region"]
    assert region.semesters.count() == 3
    assert Gathering.objects.filter(regional_program=region).count() == 8
    assert Registration.objects.filter(attended=True).exists()
    assert HandIn.objects.filter(shared_with_region=True).exists()
    full = Gathering.objects.get(regional_program=region, number=4)
    assert (
        Registration.objects.filter(gathering=full, status=RegistrationStatus.ATTENDING).count()
        == full.capacity
    )
    assert Registration.objects.filter(gathering=full, status=RegistrationStatus.WAITLISTED).exists()
    assert region.municipal_groups.filter(municipality__name="Sunnfjord").exists()
