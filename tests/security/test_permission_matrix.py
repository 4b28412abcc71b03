"""Every URL pattern × every role × (side A's object, side B's object, a non-existent id), GET and POST.

How to extend (for a new view or app):
  1. Add the view's "namespace:name" to `URLS` in `tests/security/matrix_<app>.py` (create the module for a
     new app; it is found by its name). Without an entry, `test_every_url_pattern_has_an_entry` fails and
     names the pattern.
  2. Pick the gate from `tests/security/matrix.py`: `public()`, `signed_in()`, `lead(args)` or
     `scoped(args, *roles)` with the roles that reach side A's object (leadership is always included).
  3. `args` maps each URL kwarg to a key of `world()` below (add the object there if it is new) or to a
     literal for `<str:…>` kwargs. `None` means the world has no such object yet: then only the anonymous
     answer and non-existent ids are checked.
  4. A role only one app's rules tell apart (gatherings: a contact whose application was not accepted) goes in
     that module's `EXTRA_ROLES` (role → what `_extra_users` makes of it); it is checked on that app's URLs only.

What is asserted: never a 500; anonymous gets the login page (or a public answer); a role outside the gate or
the object's scope gets 404 (405 when the method itself is refused, which tells nothing about the object);
a reaching role gets a real answer, and side B's board and contact reach side B's object as A's reach A's;
a non-existent id is 404 for everyone; one kwarg of side B among side A's objects (B's file through A's
gathering) is 404 even for leadership; an entry's `secrets` (an internal note, participants' needs) are in
no answer but to the roles named for each; and the database is unchanged after every POST that was refused.
POSTs that are allowed run inside a savepoint that is rolled back, so
one world serves every request of an app's test.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.security as security_tests
from tests.security.matrix import ROLES, Entry

MISSING_ID = 2_000_000_000
REFUSED = {404, 405}
# Who stands to side B's objects as a role stands to side A's (leadership to both).
MIRROR = {"leadership": "leadership", "board_own": "board_other", "contact_own": "contact_other"}


def refused(method: str):
    """404 (or 405 for a refused method); a GET to a POST-only URL may also be sent elsewhere, as it is for a
    non-existent id, which tells nothing."""

    def check(kind: str) -> bool:
        if kind.isdigit() and int(kind) in REFUSED:
            return True
        return method == "get" and kind == "302"

    return check


def _extra_roles(app: str) -> dict[str, str]:
    """The app's own roles (`EXTRA_ROLES` of `tests/security/matrix_<app>.py`), checked on its URLs only."""
    try:
        module = importlib.import_module(f"tests.security.matrix_{app}")
    except ModuleNotFoundError:
        return {}
    return dict(getattr(module, "EXTRA_ROLES", {}))


def _extra_users(roles: dict[str, str], sides: dict) -> dict:
    """Per extra role (role → application status): the contact of another member municipality of side A's
    region whose application there has that status and which has no municipal group (not admitted)."""
    from tests.applications.factories import ApplicationFactory
    from tests.factories import MunicipalityFactory, municipal_contact

    a = sides["A"]
    users = {}
    for role, status in roles.items():
        municipality = MunicipalityFactory(county=a["county"])
        ApplicationFactory(
            regional_program=a["regional_program"],
            municipality=municipality,
            complete=status != "draft",
            status=status,
        )
        users[role] = municipal_contact(municipality)
    return users


def _tables() -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for module in pkgutil.iter_modules(security_tests.__path__):
        if module.name.startswith("matrix_"):
            entries.update(importlib.import_module(f"tests.security.{module.name}").URLS)
    return entries


def _patterns(resolver=None, namespace=None, prefix=""):
    """(name, pattern text, int kwargs, all kwargs) for every named pattern outside Django's admin."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _patterns(pattern, pattern.namespace or namespace, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            text = prefix + str(pattern.pattern)
            kwargs = re.findall(r"<(?:(\w+):)?(\w+)>", text)
            yield (
                f"{namespace}:{pattern.name}",
                text,
                [k for c, k in kwargs if c == "int"],
                [k for _c, k in kwargs],
            )


PATTERNS = list(_patterns())
TABLE = _tables()


def test_every_url_pattern_has_an_entry():
    missing = [f"{name}  ({text})" for name, text, _i, _a in PATTERNS if name not in TABLE]
    assert not missing, (
        "Disse URL-ene mangler i tilgangsmatrisen (tests/security/matrix_<app>.py, se docstringen i "
        "tests/security/test_permission_matrix.py):\n" + "\n".join(missing)
    )
    stale = sorted(set(TABLE) - {name for name, *_ in PATTERNS})
    assert not stale, f"Oppføringer uten URL: {stale}"


# --- the world: two sides, A and B -------------------------------------------------------------------------


def world() -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from accounts.models import Invitation, Role, RoleAssignment
    from applications.models import ApplicationAttachment, ApplicationDeadlineExtension
    from audit.services import audit_log
    from programs.models import MunicipalGroup, MunicipalGroupMember
    from tests.applications.factories import (
        ApplicationFactory,
        GroupMemberFactory,
        JuryMemberFactory,
        ReviewFactory,
        SelectionCriterionFactory,
        open_region,
        pdf_bytes,
    )
    from tests.factories import ProgramFactory, UserFactory, board_member, municipal_contact
    from tests.gatherings.factories import GatheringFactory
    from tests.programs.factories import DialogueMeetingFactory
    from tests.reminders.factories import DeliveryFactory

    program = ProgramFactory()
    sides = {}
    for side in ("A", "B"):
        rp, branch, county, municipalities = open_region(municipalities=1, program=program)
        municipality = municipalities[0]
        application = ApplicationFactory(regional_program=rp, municipality=municipality, submitted=True)
        attachment = ApplicationAttachment(application=application, original_name="plan.pdf", size=10)
        attachment.file.save("plan.pdf", ContentFile(pdf_bytes()), save=True)
        group = MunicipalGroup.objects.create(regional_program=rp, municipality=municipality)
        sides[side] = {
            "program": program,
            "program_slug": program.slug,
            "regional_program": rp,
            "branch": branch,
            "county": county,
            "municipality": municipality,
            "application": application,
            "group_member": application.group_members.first(),
            "attachment": attachment,
            "municipal_group": group,
            "municipal_group_member": MunicipalGroupMember.objects.create(
                group=group, name="Gruppemedlem", email=f"gruppe-{side.lower()}@example.org", sector="skole"
            ),
            "criterion": SelectionCriterionFactory(regional_program=rp),
            "dialogue_meeting": DialogueMeetingFactory(program=program, branch=branch, scheduled=True),
            "gathering": GatheringFactory(regional_program=rp),
            "deadline_extension": ApplicationDeadlineExtension.objects.create(
                regional_program=rp, municipality=municipality, deadline=rp.application_deadline
            ),
        }
        sides[side]["board"] = board_member(branch)
        sides[side]["contact"] = municipal_contact(municipality)
    a = sides["A"]
    jury = JuryMemberFactory(regional_program=a["regional_program"])
    review = ReviewFactory(application=a["application"], jury_member=jury, no_conflict=True)
    conflicted = JuryMemberFactory(regional_program=a["regional_program"])
    ReviewFactory(application=a["application"], jury_member=conflicted, has_conflict=True)
    b_jury = JuryMemberFactory(regional_program=sides["B"]["regional_program"])
    sides["B"]["review"] = ReviewFactory(
        application=sides["B"]["application"], jury_member=b_jury, no_conflict=True
    )
    sides["B"]["jury_member"] = b_jury
    a["review"], a["jury_member"] = review, jury
    GroupMemberFactory(application=a["application"])
    leader = UserFactory(leadership=True)
    person = UserFactory(full_name="Pia Person")
    role = RoleAssignment.objects.create(user=person, role=Role.ADVISOR)
    audit_log(actor=leader, action="accounts.role.added", obj=person, details={"role": Role.ADVISOR})
    invitation = Invitation.objects.create(
        email="inv@example.org", role=Role.ADVISOR, token_hash="x" * 64, expires_at="2099-01-01T00:00:00Z"
    )
    delivery = DeliveryFactory()
    for side in sides.values():
        side.update(
            person=person,
            person_role=role,
            person_content_type=ContentType.objects.get_for_model(person).pk,
            person_id=str(person.pk),
            invitation=invitation,
            delivery=delivery,
        )
    advisor = UserFactory(advisor=True)
    _guidance_world(sides, advisors={"A": advisor, "B": UserFactory(advisor=True)})
    _gatherings_world(sides)
    users = {
        "leadership": leader,
        "board_own": a["board"],
        "board_other": sides["B"]["board"],
        "contact_own": a["contact"],
        "contact_other": sides["B"]["contact"],
        "advisor": advisor,
        "jury": jury.user,
        "jury_conflict": conflicted.user,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return {"sides": sides, "users": users}


def _gatherings_world(sides: dict) -> None:
    """Per side: a semester, a file with the gathering, the group member's registration (with needs only
    leadership sees), a pre-gathering with a registration from the municipality, the group's submitted
    hand-in (not shared with the region) with a file, and the municipal contact's calendar feed."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from gatherings import services as gatherings_services
    from gatherings.models import GatheringFile, HandIn, HandInFile
    from tests.applications.factories import pdf_bytes
    from tests.gatherings.factories import GatheringFactory, RegistrationFactory, SemesterFactory

    for side, data in sides.items():
        gathering, group, member = data["gathering"], data["municipal_group"], data["municipal_group_member"]
        gathering_file = GatheringFile(gathering=gathering, original_name="program.pdf", size=10)
        gathering_file.file.save("program.pdf", ContentFile(pdf_bytes()), save=True)
        needs = f"Behov {side}: glutenfri kost (hemmelig {gathering.pk})"
        pre = GatheringFactory(regional_program=data["regional_program"], pre=True)
        hand_in_text = f"Mellomarbeid {side}: vi har gjort mye (hemmelig {group.pk})"
        hand_in = HandIn.objects.create(
            gathering=gathering, group=group, done=hand_in_text, submitted_at=timezone.now()
        )
        hand_in_file = HandInFile(hand_in=hand_in, original_name="rapport.pdf", size=10)
        gathering.title = f"Samlingstittel {side} {gathering.pk} (bare for regionens kommunegrupper)"
        gathering.save(update_fields=["title"])
        hand_in_file.file.save("rapport.pdf", ContentFile(pdf_bytes()), save=True)
        data.update(
            semester=SemesterFactory(regional_program=data["regional_program"]),
            gathering_file=gathering_file,
            registration=RegistrationFactory(
                gathering=gathering,
                municipality=data["municipality"],
                group=group,
                member=member,
                name=member.name,
                email=member.email,
                dietary_needs=needs,
            ),
            needs=needs,
            pre_gathering=pre,
            pre_registration=RegistrationFactory(gathering=pre, municipality=data["municipality"]),
            hand_in=hand_in,
            hand_in_text=hand_in_text,
            hand_in_file=hand_in_file,
            gathering_title=gathering.title,
            gathering_feed=gatherings_services.feed_create(
                actor=data["contact"], regional_program=data["regional_program"]
            ),
        )
        data["gathering_feed_token"] = data["gathering_feed"].token


def _guidance_world(sides: dict, *, advisors: dict) -> None:
    """Per side: the municipality's guidance agreement with that side's advisor (the matrix's "advisor" is
    side A's), a session they logged with an internal note, the development plan with a revision, and the
    advisor's calendar feed."""
    import datetime as dt

    from django.utils import timezone

    from guidance import services as guidance_services
    from tests.guidance.factories import AgreementFactory, SessionFactory, plan_revision

    for side, data in sides.items():
        agreement = AgreementFactory(
            regional_program=data["regional_program"],
            municipality=data["municipality"],
            advisors=[advisors[side]],
        )
        note = f"Internt notat {side}: {agreement.pk} hemmelig"
        data.update(
            agreement=agreement,
            guidance_session=SessionFactory(
                agreement=agreement,
                advisor=advisors[side],
                internal_note=note,
                next_session_at=timezone.now() + dt.timedelta(days=14),
            ),
            internal_note=note,
            plan_revision=plan_revision(agreement, by=data["contact"]),
            guidance_feed_token=guidance_services.calendar_feed_renew(actor=advisors[side]).token,
        )


def _fingerprint() -> tuple:
    """Rows inserted, updated and deleted so far in this transaction (PostgreSQL keeps the tally), outside
    sessions and login attempts; elsewhere the row count of every table. A refused POST changes neither."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables "
                "WHERE relname NOT LIKE 'django_session%%' AND relname NOT LIKE 'axes_%%'"
            )
            return (cursor.fetchone()[0],)
        tables = [
            t for t in connection.introspection.table_names() if not t.startswith(("django_session", "axes_"))
        ]
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables))  # noqa: S608
        counts = tuple(sorted(cursor.fetchall()))
        cursor.execute("SELECT coalesce(max(id), 0) FROM audit_auditentry")
        return counts, cursor.fetchone()[0]


class _Rollback(Exception):
    pass


@contextmanager
def _undone():
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def public_answer(entry: Entry, method: str):
    """A public page: no login redirect (unless `login_ok`); exactly `get_answer` to a GET when it is set."""
    if method == "get" and entry.get_answer is not None:
        return lambda k: k == entry.get_answer
    return lambda k: entry.login_ok or k != "login"


def _kind(response) -> str:
    if response.status_code in (301, 302) and response["Location"].startswith("/logg-inn/"):
        return "login"
    return str(response.status_code)


def _pk(value):
    return getattr(value, "pk", value)


def _body(response) -> bytes:
    """The answer's bytes (a file download is read through: a secret must not hide in an attachment)."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
        response.close()
        return body
    return response.content


def _url(
    name: str,
    entry: Entry,
    all_args: list[str],
    side: dict,
    missing: str | None = None,
    swapped: tuple[str, dict] | None = None,
) -> str | None:
    """The URL with `side`'s objects; `missing`: that kwarg a non-existent id; `swapped`: (kwarg, other side),
    that kwarg the other side's object."""
    kwargs = {}
    for arg in all_args:
        key = entry.args.get(arg, "")
        if arg == missing:
            kwargs[arg] = MISSING_ID
        elif key is None:
            return None
        elif key in side:
            value = swapped[1][key] if swapped and swapped[0] == arg else side[key]
            kwargs[arg] = getattr(value, "pk", value)
        elif key:
            kwargs[arg] = key
        else:
            return None
    return reverse(name.removeprefix("None:"), kwargs=kwargs)


APPS = sorted({name.split(":")[0] for name, *_ in PATTERNS})


@pytest.mark.parametrize("app", APPS)
def test_permission_matrix(app, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = world()
    extra = _extra_roles(app)
    data["users"].update(_extra_users(extra, data["sides"]))
    roles = (*ROLES, *extra)
    clients = {"anonymous": Client()}
    for role, user in data["users"].items():
        clients[role] = Client()
        clients[role].force_login(user)
    problems: list[str] = []

    def call(role, method, url, expect, *, check_db, secrets=()):
        client = clients[role]
        with _undone():
            before = _fingerprint() if check_db else None
            response = getattr(client, method)(url)
            kind = _kind(response)
            after = _fingerprint() if check_db else None
        if (
            role != "anonymous"
            and not client.cookies.get("sessionid", None)
            or (role != "anonymous" and not client.cookies["sessionid"].value)
        ):
            client.force_login(data["users"][role])  # the page signed the person out (logout)
        ok = expect(kind)
        if not ok or response.status_code >= 500:
            problems.append(f"{method.upper()} {url} as {role}: {kind}")
        elif check_db and before != after:
            problems.append(f"{method.upper()} {url} as {role}: refused ({kind}) but the database changed")
        elif any(text.encode() in _body(response) for text in secrets):
            problems.append(f"{method.upper()} {url} as {role}: {kind} shows a text it must never show")

    def reached(kind):
        return kind not in {"login", "404", "403"} and int(kind if kind.isdigit() else 0) < 500

    for name, _text, int_args, all_args in PATTERNS:
        if name.split(":")[0] != app or name not in TABLE:
            continue
        entry = TABLE[name]
        a, b = data["sides"]["A"], data["sides"]["B"]
        url_a = _url(name, entry, all_args, a)

        # Side A's secrets only to the roles named for each. Side B's never on side A's object; on a page
        # without an object (a dashboard) to the mirror of those roles (B's contact sees what A's sees).
        def secrets_for(role, entry=entry, a=a, b=b, has_object=bool(int_args)):
            hide = []
            for key, roles in entry.secrets.items():
                mirrored = set() if has_object else {MIRROR[r] for r in roles if r in MIRROR}
                hide += [a[key]] if role not in roles else []
                hide += [b[key]] if role not in mirrored else []
            return hide

        known = url_a is not None and bool(entry.reach)
        for method in ("get", "post"):
            # Anonymous: the login page, unless the page is for everyone.
            target = url_a or _url(name, entry, all_args, a, missing=(int_args or [None])[0])
            if target is not None:
                if entry.gate == "public":
                    call(
                        "anonymous",
                        method,
                        target,
                        public_answer(entry, method),
                        check_db=False,
                        secrets=secrets_for("anonymous"),
                    )
                else:
                    call(
                        "anonymous",
                        method,
                        target,
                        lambda k: k in {"login", "405"},
                        check_db=method == "post",
                    )
            if known:
                reach = entry.post_reach if method == "post" and entry.post_reach is not None else entry.reach
                for role in roles[1:]:
                    if entry.gate == "public":
                        call(
                            role,
                            method,
                            url_a,
                            public_answer(entry, method),
                            check_db=False,
                            secrets=secrets_for(role),
                        )
                    elif role in reach:
                        call(
                            role,
                            method,
                            url_a,
                            lambda k: reached(k) or k == "405",
                            check_db=False,
                            secrets=secrets_for(role),
                        )
                    elif entry.gate != "signed_in" and entry.gate != "public":
                        call(
                            role,
                            method,
                            url_a,
                            refused(method),
                            check_db=method == "post",
                        )
                # Side B's object: every reaching role except leadership is outside it, and B's own board and
                # contact reach it as A's reach A's (their own object, not only "not refused elsewhere").
                url_b = _url(name, entry, all_args, b)
                if entry.gate == "scoped" and url_b is not None and url_b != url_a:
                    for role in reach - {"leadership", "board_other", "contact_other"}:
                        call(
                            role,
                            method,
                            url_b,
                            refused(method),
                            check_db=method == "post",
                        )
                    for role in sorted({MIRROR[r] for r in reach if r in MIRROR} - {"leadership"}):
                        call(role, method, url_b, lambda k: reached(k) or k == "405", check_db=False)
                # One kwarg of side B among side A's (a file of B's gathering through A's gathering): the pair
                # does not belong together, so even leadership is refused. Only where another kwarg stays a
                # side-specific object of A (a programme is shared by both sides: any branch goes with it).
                for arg in int_args:
                    differs = {
                        k
                        for k in int_args
                        if entry.args.get(k) in a and _pk(a[entry.args[k]]) != _pk(b[entry.args[k]])
                    }
                    if arg not in differs or not differs - {arg}:
                        continue
                    url_mixed = _url(name, entry, all_args, a, swapped=(arg, b))
                    for role in sorted(reach - {"anonymous"}, key=lambda r: (r != "leadership", r))[:2]:
                        call(role, method, url_mixed, refused(method), check_db=method == "post")
            # A non-existent id, for each int kwarg in turn, to the roles that could reach something.
            for arg in int_args:
                url_missing = _url(name, entry, all_args, a, missing=arg)
                if url_missing is None:
                    # Other kwargs unknown to the world: fill every int kwarg with the missing id.
                    kwargs = {k: MISSING_ID if k in int_args else entry.args.get(k) or "x" for k in all_args}
                    url_missing = reverse(name.removeprefix("None:"), kwargs=kwargs)
                # Leadership, and one other role that reaches the page: everyone else is refused anyway.
                others = sorted(reach - {"leadership", "anonymous"})[:1] if known else []
                for role in ("leadership", *others):
                    call(
                        role,
                        method,
                        url_missing,
                        refused(method),
                        check_db=method == "post",
                    )
    assert not problems, f"{len(problems)} svar brøt matrisen:\n" + "\n".join(problems)
