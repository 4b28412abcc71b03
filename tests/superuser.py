"""The superuser flag grants the Django admin and nothing in the app: roles decide what a page shows.

Each app's `test_superuser.py` lists its pages and uses these two checks."""

from __future__ import annotations

import re

from tests.factories import UserFactory

LINK = re.compile(r'\s(?:href|action)="([^"#]*)"')
FIELD = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\sname="([^"]+)"')


def what_one_sees(client, user, url: str) -> tuple[int, list[str], list[str]]:
    """Status, the links and form targets, and the form fields the page offers this person."""
    client.force_login(user)
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return response.status_code, [], []
    html = response.content.decode()
    return response.status_code, sorted(set(LINK.findall(html))), sorted(set(FIELD.findall(html)))


def assert_superuser_without_roles_gets_404(client, urls: list[str]) -> None:
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    answers = {url: client.get(url).status_code for url in urls}
    assert answers == dict.fromkeys(urls, 404)
    assert answers  # the list of pages is not empty


def assert_superuser_leader_sees_what_a_leader_sees(client, urls: list[str]) -> dict[str, tuple]:
    """Returns what the plain leader saw, per url, for further checks."""
    leader = UserFactory(leadership=True)
    root_leader = UserFactory(leadership=True, is_superuser=True, is_staff=True)
    plain = {url: what_one_sees(client, leader, url) for url in urls}
    root = {url: what_one_sees(client, root_leader, url) for url in urls}
    for url in urls:
        assert root[url] == plain[url], url
    return plain
