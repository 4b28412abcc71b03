"""Two board members saving the same registration at the same instant, on real separate connections."""

import threading

from django.db import connection

from programs import services
from programs.models import InterestRegistration
from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    MunicipalityFactory,
    ProgramFactory,
    board_member,
)
from tests.programs.factories import InterestRegistrationFactory


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_simultaneous_saves_of_one_version_let_exactly_one_through(transactional_db):
    branch = CountyBranchFactory()
    members = [MunicipalityFactory(county=CountyFactory(branch=branch)) for _ in range(2)]
    program = ProgramFactory()
    InterestRegistrationFactory(program=program, branch=branch, comment="Start", version=1)
    writers = [board_member(branch, full_name=f"Styre {i}") for i in range(2)]

    def save(user, text):
        return lambda: services.interest_registration_save(
            actor=user,
            program=program,
            branch=branch,
            data={"level": "yes", "contact_name": "K", "contact_email": "k@example.org", "comment": text},
            municipalities=members,
            expected_version=1,
        )

    results = _race([save(writers[0], "Første"), save(writers[1], "Andre")])
    saved = [r for r in results if isinstance(r, InterestRegistration)]
    refused = [r for r in results if isinstance(r, services.RegistrationConflict)]
    assert len(saved) == 1, results
    assert len(refused) == 1, results
    final = InterestRegistration.objects.get()
    assert final.version == 2
    assert final.comment == saved[0].comment


def test_simultaneous_first_saves_create_one_registration(transactional_db):
    branch = CountyBranchFactory()
    program = ProgramFactory()
    writers = [board_member(branch, full_name=f"Styre {i}") for i in range(2)]

    def save(user):
        return lambda: services.interest_registration_save(
            actor=user,
            program=program,
            branch=branch,
            data={"level": "maybe", "contact_name": "K", "contact_email": "k@example.org"},
            municipalities=[],
            expected_version=0,
        )

    results = _race([save(w) for w in writers])
    assert sum(isinstance(r, InterestRegistration) for r in results) == 1, results
    assert sum(isinstance(r, services.RegistrationConflict) for r in results) == 1, results
    assert InterestRegistration.objects.count() == 1
