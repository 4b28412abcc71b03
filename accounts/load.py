"""Load data: about 2,000 people with their roles (see accounts/management/commands/seed_load.py).

Logins for the benchmark (password in ctx): leder@, styre-<branch id>-1@, kontakt-<kommunenr>-1@, jury-1@
and veileder-1@ at the load domain; admin@ is a superuser for the Django admin only.
"""

from django.contrib.auth.hashers import make_password

from municipalities.models import CountyBranch, Municipality

from .models import Role, RoleAssignment, User

FIRST_NAMES = [
    "Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Per", "Astrid", "Knut", "Marit", "Jon", "Randi", "Tor",
    "Liv", "Nils", "Solveig", "Arne", "Hilde", "Bjørn", "Eli", "Geir", "Turid", "Odd", "Berit", "Svein",
    "Anne", "Håkon", "Ragnhild", "Espen", "Gunn", "Øystein", "Silje", "Trond", "Aud", "Eirik", "Maja",
]  # fmt: skip
LAST_NAMES = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
    "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen",
    "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Moen", "Strand", "Solberg",
]  # fmt: skip

LEADERSHIP = 5
BOARD_PER_BRANCH = 5
CONTACTS_PER_MUNICIPALITY = 4
JURY = 250
ADVISORS = 20
TOTAL = 2000


def person_name(rng) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def seed_load(ctx: dict) -> None:
    rng, domain = ctx["rng"], ctx["email_domain"]
    password = make_password(ctx["password"])
    branches = list(CountyBranch.objects.order_by("pk"))
    municipalities = list(Municipality.objects.order_by("number"))
    people: list[tuple[str, str, list[tuple[str, int | None, int | None]]]] = []

    def add(local: str, roles: list[tuple[str, int | None, int | None]]):
        people.append((f"{local}@{domain}", person_name(rng), roles))

    for i in range(1, LEADERSHIP + 1):
        add("leder" if i == 1 else f"leder-{i}", [(Role.LEADERSHIP, None, None)])
    for branch in branches:
        for i in range(1, BOARD_PER_BRANCH + 1):
            add(f"styre-{branch.pk}-{i}", [(Role.BOARD_MEMBER, branch.pk, None)])
    for municipality in municipalities:
        for i in range(1, CONTACTS_PER_MUNICIPALITY + 1):
            add(f"kontakt-{municipality.number}-{i}", [(Role.MUNICIPAL_CONTACT, None, municipality.pk)])
    for i in range(1, JURY + 1):
        add(f"jury-{i}", [(Role.JURY_MEMBER, None, None)])
    for i in range(1, ADVISORS + 1):
        add(f"veileder-{i}", [(Role.ADVISOR, None, None)])
    for i in range(1, TOTAL - len(people)):  # the admin below makes TOTAL
        add(f"person-{i}", [])  # people whose roles have ended: they stay in the log and the people list

    users = User.objects.bulk_create(
        [User(email=email, full_name=name, password=password) for email, name, _roles in people],
        batch_size=1000,
    )
    # The Django admin's own login, for comparing its change lists with the app's pages (no role in the app).
    User.objects.create(
        email=f"admin@{domain}", full_name="Admin", password=password, is_staff=True, is_superuser=True
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=user, role=role, branch_id=branch_id, municipality_id=municipality_id)
            for user, (_email, _name, roles) in zip(users, people, strict=True)
            for role, branch_id, municipality_id in roles
        ],
        batch_size=1000,
    )
    by_local = {user.email.split("@")[0]: user for user in users}
    ctx["users"] = users
    ctx["leadership"] = [by_local["leder"]] + [by_local[f"leder-{i}"] for i in range(2, LEADERSHIP + 1)]
    ctx["board"] = {
        b.pk: [by_local[f"styre-{b.pk}-{i}"] for i in range(1, BOARD_PER_BRANCH + 1)] for b in branches
    }
    ctx["contacts"] = {
        m.pk: [by_local[f"kontakt-{m.number}-{i}"] for i in range(1, CONTACTS_PER_MUNICIPALITY + 1)]
        for m in municipalities
    }
    ctx["jury"] = [by_local[f"jury-{i}"] for i in range(1, JURY + 1)]
    ctx["advisors"] = [by_local[f"veileder-{i}"] for i in range(1, ADVISORS + 1)]
    ctx["branches"] = branches
    ctx["municipalities"] = municipalities
