"""Who may do what with guidance. Views and selectors both ask these; anything out of scope answers 404.

An advisor's scope is the agreements that name them (read once per request and cached on the user); a
municipal contact's is their own municipality; leadership sees everything. The internal note of a session
is for advisors of the agreement and leadership only.
"""

from __future__ import annotations

import rules

from accounts.models import Role
from accounts.permissions import is_leadership, role_scope


def advisor_agreement_ids(user) -> frozenset[int]:
    """The agreements naming this advisor (empty for anyone without the advisor role). One query per request."""
    scope = role_scope(user)
    if not scope.has(Role.ADVISOR):
        return frozenset()
    cached = getattr(user, "_guidance_agreement_ids", None)
    if cached is None:
        from .models import GuidanceAgreement

        cached = frozenset(GuidanceAgreement.objects.filter(advisors=user).values_list("pk", flat=True))
        user._guidance_agreement_ids = cached
    return cached


def advised_groups(user) -> list[tuple[int, int]]:
    """(regional programme id, municipality id) of the agreements naming this advisor, for gatherings (registered
    with `gatherings.permissions.advised_groups_register` in `GuidanceConfig.ready`): the advisor reads those
    groups' hand-ins there. A declined agreement gives nothing: the municipality said no to guidance, so the
    advisor is not its advisor."""
    from .models import GuidanceAgreement

    return list(
        GuidanceAgreement.objects.filter(advisors=user, declined_on__isnull=True).values_list(
            "regional_program_id", "municipality_id"
        )
    )


def forget_advisor_scope(user) -> None:
    if hasattr(user, "_guidance_agreement_ids"):
        del user._guidance_agreement_ids


@rules.predicate
def is_advisor_of_agreement(user, agreement) -> bool:
    return agreement is not None and agreement.pk in advisor_agreement_ids(user)


@rules.predicate
def is_contact_for_agreement(user, agreement) -> bool:
    return agreement is not None and agreement.municipality_id in role_scope(user).municipality_ids


@rules.predicate
def agreement_open(user, agreement) -> bool:
    return agreement is not None and agreement.declined_on is None


@rules.predicate
def is_own_session(user, session) -> bool:
    return (
        session is not None
        and session.advisor_id == user.pk
        and is_advisor_of_agreement(user, session.agreement)
    )


@rules.predicate
def has_guidance_role(user) -> bool:
    scope = role_scope(user)
    return scope.has(Role.LEADERSHIP) or scope.has(Role.ADVISOR) or scope.has(Role.MUNICIPAL_CONTACT)


@rules.predicate
def is_guidance_advisor(user) -> bool:
    return role_scope(user).has(Role.ADVISOR)


can_view_agreement = is_leadership | is_advisor_of_agreement | is_contact_for_agreement
# The internal note, and the advisors' view of the log: never the municipality's (unless they also advise it).
can_view_internal = is_leadership | is_advisor_of_agreement
can_log_session = is_advisor_of_agreement & agreement_open
can_change_session = is_own_session
can_manage_agreements = is_leadership
# The municipal group writes its plan; the advisor and leadership read it and comment.
can_revise_plan = is_contact_for_agreement
can_comment_plan = is_advisor_of_agreement | is_leadership
