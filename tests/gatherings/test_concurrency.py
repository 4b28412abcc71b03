"""Two coordinators taking the last place in the same second, on two real database connections."""

from gatherings import services
from gatherings.models import Registration, RegistrationStatus
from tests.factories import municipal_contact
from tests.gatherings.factories import GatheringFactory, make_region
from tests.programs.test_concurrency import _race


def test_the_last_place_goes_to_one_and_the_other_gets_the_waiting_list(transactional_db):
    r = make_region(members=1)
    gathering = GatheringFactory(regional_program=r.region, capacity=1)
    calls = []
    for group in r.groups:
        user = municipal_contact(group.municipality)
        answers = [services.Answer(member=m, status="attending") for m in group.members.all()]
        calls.append(
            lambda user=user, group=group, answers=answers: services.group_registrations_save(
                actor=user, gathering=gathering, group=group, answers=answers
            )
        )
    results = _race(calls)
    assert all(isinstance(r, services.RegistrationResult) for r in results), results
    assert Registration.objects.filter(status=RegistrationStatus.ATTENDING).count() == 1
    assert Registration.objects.filter(status=RegistrationStatus.WAITLISTED).count() == 1
    assert sorted(len(r.attending) for r in results) == [0, 1]
