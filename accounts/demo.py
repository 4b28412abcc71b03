"""Demo people: one per role, password from ctx["password"], and one with two-factor sign-in on."""

from municipalities.models import CountyBranch, Municipality

from .models import Role, RoleAssignment, User


def _person(email: str, full_name: str, password: str, phone: str = "") -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "phone": phone})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _two_factor_on(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .two_factor import recovery_codes_renew, two_factor_enabled

    if not two_factor_enabled(user):
        TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
        recovery_codes_renew(user=user)


def seed(ctx: dict) -> None:
    password = ctx["password"]
    vestland = CountyBranch.objects.get(name="Norsk kulturskoleråd Vestland")
    if not vestland.email:
        vestland.email = "vestland@example.org"
        vestland.save(update_fields=["email"])
    sunnfjord = Municipality.objects.get(number="4647")

    leader = _person("leder@example.org", "Liv Leder", password, "+47 400 00 001")
    leader.is_staff = True
    leader.is_superuser = True
    leader.save(update_fields=["is_staff", "is_superuser"])
    board = _person("styre@example.org", "Stian Styre", password, "+47 400 00 002")
    contact = _person("kommune@example.org", "Kari Kommune", password, "+47 400 00 003")
    advisor = _person("veileder@example.org", "Vera Veileder", password, "+47 400 00 004")
    jury = _person("jury@example.org", "Jens Jury", password, "+47 400 00 005")

    RoleAssignment.objects.get_or_create(user=leader, role=Role.LEADERSHIP)
    RoleAssignment.objects.get_or_create(user=board, role=Role.BOARD_MEMBER, branch=vestland)
    RoleAssignment.objects.get_or_create(user=contact, role=Role.MUNICIPAL_CONTACT, municipality=sunnfjord)
    RoleAssignment.objects.get_or_create(user=advisor, role=Role.ADVISOR)
    RoleAssignment.objects.get_or_create(user=jury, role=Role.JURY_MEMBER)
    # One person with two-factor sign-in on, so that leadership can try the reset on the person page (the demo
    # logins above keep signing in with the password alone). Nobody holds the phone: the secret is random.
    pal = _person("pal.veileder@example.org", "Pål Veileder", password, "+47 400 00 006")
    RoleAssignment.objects.get_or_create(user=pal, role=Role.ADVISOR)
    _two_factor_on(pal)
    # One invitation still waiting for an answer, so the invitation list has something to show.
    from .models import Invitation
    from .services import invitation_create

    if not Invitation.objects.filter(email="ny.kontakt@example.org").exists():
        invitation_create(
            actor=leader,
            email="ny.kontakt@example.org",
            full_name="Nils Ny",
            role=Role.MUNICIPAL_CONTACT,
            municipality=Municipality.objects.get(number="4602"),
        )
    ctx.update(
        leader=leader,
        board=board,
        contact=contact,
        advisor=advisor,
        jury=jury,
        vestland=vestland,
        sunnfjord=sunnfjord,
    )
