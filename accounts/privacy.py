"""A person's data across every app: one export and one erasure, built from what each app declares.

An app that stores something about a person writes `<app>/personal_data.py`, which the accounts app imports
at start-up (the same way the reminders app finds `<app>/reminders.py`):

    # gatherings/personal_data.py
    from django.utils.translation import gettext_lazy as _

    from accounts.privacy import ERASED_NAME, Person, register


    def export(person: Person) -> dict:
        # Everything this app holds about the person, as JSON types (text, numbers, true/false, lists,
        # objects with Norwegian keys, as the readable page shows them). A fixed number of queries.
        rows = Registration.objects.filter(member__email__iexact=person.email).select_related("gathering")
        return {"påmeldinger": [{"samling": str(r.gathering), "svar": r.get_answer_display()} for r in rows]}


    def erase(person: Person, *, actor) -> int:
        # Anonymise in place (rows stay, so counts and history hold); return how many rows changed.
        return Registration.objects.filter(member__email__iexact=person.email).update(note="")


    register("gatherings", label=_("Samlinger og mellomarbeid"), export=export, erase=erase)

`Person` is taken before anything is erased: `user` (None for someone without an account), `email`
(the address to match, case-insensitively), `name`. Match rows by `person.user` and by `person.emails()`.
Hooks run in `order` (default 50); accounts (90, the user row itself) and audit (100, which replaces the
name and address in the log) come last. `person_export` and `person_erase` below are the services that
leadership's pages call; they run every hook, in one transaction for the erasure, and write the audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

ERASED_NAME = _("Slettet person")
ERASED_EMAIL_DOMAIN = "invalid.example"


def erased_email(tag: str | int) -> str:
    """A unique address that cannot receive mail, to put in a required e-mail field."""
    return f"slettet-{tag}@{ERASED_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""
    user: Any = None

    def emails(self) -> list[str]:
        return [self.email] if self.email else []

    @classmethod
    def of(cls, user_or_email) -> Person:
        if isinstance(user_or_email, str):
            from .models import User

            email = user_or_email.strip()
            user = User.objects.filter(email__iexact=email).first() if email else None
            return cls(email=email, name=user.full_name if user else "", user=user)
        return cls(email=user_or_email.email, name=user_or_email.full_name, user=user_or_email)


@dataclass(frozen=True)
class Hook:
    app: str
    label: Any
    export: Callable[[Person], dict[str, Any]]
    erase: Callable[..., int]
    order: int = 50


_hooks: dict[str, Hook] = {}


def register(
    app: str,
    *,
    label: Any,
    export: Callable[[Person], dict[str, Any]],
    erase: Callable[..., int],
    order: int = 50,
) -> None:
    """Declare what `app` stores about a person; see the module docstring."""
    _hooks[app] = Hook(app, label, export, erase, order)


def hooks() -> list[Hook]:
    return sorted(_hooks.values(), key=lambda h: h.order)


def person_export(user_or_email) -> dict[str, dict[str, Any]]:
    """{app: {"label": the app's Norwegian name, "data": what its hook exports}} for every app."""
    person = user_or_email if isinstance(user_or_email, Person) else Person.of(user_or_email)
    return {hook.app: {"label": str(hook.label), "data": hook.export(person)} for hook in hooks()}


def person_export_audit(*, actor, user, fmt: str) -> None:
    """The data left the system (a download): log who took it out, not what it holds."""
    from audit.services import audit_log

    audit_log(actor=actor, action="accounts.personal_data.exported", obj=user, details={"format": fmt})


def person_erase(*, actor, user=None, user_or_email=None) -> dict[str, int]:
    """Anonymise one person everywhere; every hook in one transaction. Returns rows changed per app.

    Pass the account (`user`), or `user_or_email` for someone known only by an address (a group member
    without an account). The audit trail stays: its entries keep pointing at the (now anonymous) person,
    with the name and address replaced; the erasure itself is logged without them.
    """
    from django.core.exceptions import ValidationError

    from audit.services import audit_log

    person = Person.of(user if user is not None else user_or_email)
    if person.user is not None and actor is not None and person.user.pk == actor.pk:
        raise ValidationError(_("Du kan ikke anonymisere deg selv."))
    if person.user is None and not person.email:
        raise ValidationError(_("Oppgi en person eller en e-postadresse."))
    changed: dict[str, int] = {}
    with transaction.atomic():
        for hook in hooks():
            changed[hook.app] = int(hook.erase(person, actor=actor) or 0)
        audit_log(
            actor=actor,
            action="accounts.personal_data.erased",
            obj=person.user,
            details={"rows": sum(changed.values()), "apps": [a for a, n in changed.items() if n]},
        )
    return changed
