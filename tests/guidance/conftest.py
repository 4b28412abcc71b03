import pytest

from tests.factories import MunicipalityFactory, RegionalProgramFactory, UserFactory, municipal_contact
from tests.guidance.factories import AgreementFactory, advisor


@pytest.fixture
def setting(db):
    """One regional programme; Sunnfjord-like municipality with an agreement for `vera`, another for `otto`."""
    rp = RegionalProgramFactory()
    vera = advisor(full_name="Vera Veileder")
    otto = advisor(full_name="Otto Annen")
    home = MunicipalityFactory(name="Hjemkommune")
    other = MunicipalityFactory(name="Annenkommune")
    mine = AgreementFactory(regional_program=rp, municipality=home, advisors=[vera])
    theirs = AgreementFactory(regional_program=rp, municipality=other, advisors=[otto])
    contact = municipal_contact(home, full_name="Kari Kommune")
    other_contact = municipal_contact(other, full_name="Ole Annen")
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    superuser = UserFactory(is_superuser=True, is_staff=True)

    class S:
        pass

    s = S()
    s.rp, s.vera, s.otto, s.home, s.other = rp, vera, otto, home, other
    s.mine, s.theirs, s.contact, s.other_contact = mine, theirs, contact, other_contact
    s.leader, s.superuser = leader, superuser
    return s
