"""Every message the apps send through `message_send` has a Norwegian name in the reminders list."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import Role
from reminders import services
from reminders.models import Delivery
from reminders.occasions import occasion_get
from tests.factories import MunicipalityFactory, UserFactory


def _project_app_dirs() -> list[Path]:
    base = Path(settings.BASE_DIR).resolve()
    return [
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and ".venv" not in Path(config.path).parts
    ]


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _message_send_occasions() -> tuple[dict[str, str], list[str]]:
    """{code: where} for every `message_send(occasion=...)` in the apps, and the calls whose code is not literal."""
    found, unresolved = {}, []
    for app_dir in _project_app_dirs():
        for path in sorted(app_dir.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = _module_constants(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name != "message_send":
                    continue
                where = f"{path.relative_to(Path(settings.BASE_DIR).resolve())}:{node.lineno}"
                value = next((k.value for k in node.keywords if k.arg == "occasion"), None)
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found[value.value] = where
                elif isinstance(value, ast.Name) and value.id in constants:
                    found[constants[value.id]] = where
                elif isinstance(value, ast.Attribute) and ast.unparse(value) == "self.code":
                    continue  # NoticeOccasion.send: the occasion sends under its own, registered code
                else:
                    unresolved.append(where)
    return found, unresolved


def _label(code: str) -> str:
    occasion = occasion_get(code)
    return str(occasion.label) if occasion is not None else ""


def test_every_code_sent_through_message_send_has_a_label():
    found, unresolved = _message_send_occasions()
    assert not unresolved, f"message_send uten en kode testen kan lese: {unresolved}"
    assert "accounts.invitation" in found  # the scan finds the calls at all
    unnamed = {code: where for code, where in found.items() if _label(code) in ("", code)}
    assert not unnamed, f"Meldinger uten navn i påminnelseslisten (registrer en ImmediateOccasion): {unnamed}"


@pytest.mark.django_db
def test_a_sent_invitation_is_named_in_the_sent_list(client, django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    with django_capture_on_commit_callbacks(execute=False):
        accounts_services.invitation_create(
            actor=leader,
            email="nora@example.org",
            full_name="Nora Nyberg",
            role=Role.MUNICIPAL_CONTACT,
            municipality=MunicipalityFactory(),
        )
    row = Delivery.objects.get(recipient_email="nora@example.org")
    services.deliveries_send(delivery_ids=[row.pk])
    assert len(mail.outbox) == 1

    client.force_login(leader)
    html = client.get(reverse("reminders:delivery_list"), {"vis": "sendt"}).content.decode()
    sent = re.search(r'<table[^>]*data-testid="sent".*?</table>', html, flags=re.DOTALL).group(0)
    assert "nora@example.org" in sent
    assert re.search(r"<td[^>]*>\s*Invitasjon\b", sent)
    assert "accounts.invitation" not in sent
