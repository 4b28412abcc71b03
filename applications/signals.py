"""Applications answers what other apps tell it (connected in `ApplicationsConfig.ready`)."""

from __future__ import annotations


def jury_places_claim(sender, *, user, **kwargs) -> None:
    """An invitation was accepted: the jury places given to that e-mail address become this account's.

    This replaces claiming on every visit to the jury pages (a GET must not write)."""
    from .services import jury_memberships_claim

    jury_memberships_claim(user=user)
