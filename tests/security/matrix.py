"""The permission matrix's vocabulary: what each URL pattern promises to which role.

Every named URL pattern of the project has one `Entry` in a `tests/security/matrix_<app>.py` table (a dict
`URLS` keyed by "namespace:name"). `test_permission_matrix.py` walks `get_resolver()` and fails for a
pattern without an entry, so a new view cannot ship without saying who may open it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "leadership",
    "board_own",  # board member of branch A
    "board_other",  # board member of branch B
    "contact_own",  # municipal contact of municipality A (applicant in region A)
    "contact_other",  # municipal contact of municipality B (region B)
    "advisor",
    "jury",  # jury member on region A, assigned application A, no conflict
    "jury_conflict",  # jury member on region A, declared a conflict on application A
    "superuser",  # the superuser flag and no role: gets nothing in the app
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
WITH_ROLE = SIGNED_IN - {"superuser"}


@dataclass(frozen=True)
class Entry:
    """gate:
      "public"     anyone, signed in or not (no login redirect);
      "signed_in"  any signed-in person (the page itself shows only their own things);
      "leadership" programme leadership only; everyone else 404;
      "scoped"     object-level: `reach` are the roles that reach side A's object; the rest get 404,
                   and every reaching role except leadership gets 404 for side B's object.
    args: URL kwarg → a key of the world (see test_permission_matrix.world) or a literal string.
          A key the world does not have (None) means: only anonymous and non-existent ids are checked.
    post_reach: the roles that may POST, when fewer than may GET (leadership may read a board's page).
    secrets: world key of a text (a session's internal note, participants' needs) → the roles that may see
          side A's text on this URL (`hidden(...)`); no other answer holds it, and side B's text never
          appears on side A's URL.
    """

    gate: str
    args: dict[str, str | None] = field(default_factory=dict)
    reach: frozenset[str] = frozenset()
    post_reach: frozenset[str] | None = None  # who reaches it by POST, when fewer than by GET
    login_ok: bool = False  # a public URL that may send to the login page (logging out)
    secrets: dict[str, frozenset[str]] = field(default_factory=dict)
    # A public URL's exact answer to a GET from anyone (a calendar feed with its token: 200).
    get_answer: str | None = None


def scoped(args: dict[str, str | None], *roles: str, **kw) -> Entry:
    return Entry("scoped", args, frozenset({"leadership", *roles}), **kw)


def lead(args: dict[str, str | None] | None = None, **kw) -> Entry:
    return Entry("leadership", args or {}, frozenset({"leadership"}), **kw)


def signed_in(args: dict[str, str | None] | None = None, **kw) -> Entry:
    return Entry("signed_in", args or {}, WITH_ROLE | {"superuser"}, **kw)


def public(args: dict[str, str | None] | None = None, **kw) -> Entry:
    return Entry("public", args or {}, frozenset(ROLES), **kw)


def only(
    *roles: str, args: dict[str, str | None] | None = None, post: tuple[str, ...] | None = None, **kw
) -> Entry:
    """Exactly these roles reach the page (leadership not implied); `post`: those who may also POST."""
    return Entry(
        "scoped", args or {}, frozenset(roles), post_reach=frozenset(post) if post is not None else None, **kw
    )


def hidden(key: str, *roles: str) -> dict[str, frozenset[str]]:
    """A secret of the world (`key`) that only `roles` may see: `Entry(..., secrets=hidden(...) | hidden(...))`."""
    return {key: frozenset(roles)}
