"""Who may do what with applications. Views and selectors both ask these; out of scope answers 404."""

import rules
from django.utils import timezone

from accounts.permissions import (
    is_board_member,
    is_jury_member,
    is_leadership,
    is_municipal_contact,
    role_scope,
)

from .models import Application, ApplicationStatus


def _branch_id_of(municipality) -> int | None:
    return municipality.county.branch_id if municipality is not None else None


@rules.predicate
def speaks_for_municipality(user, municipality) -> bool:
    """The municipality's own contact, or a board member of the branch its county belongs to."""
    if municipality is None:
        return False
    scope = role_scope(user)
    return municipality.pk in scope.municipality_ids or _branch_id_of(municipality) in scope.branch_ids


@rules.predicate
def speaks_for_application(user, application: Application) -> bool:
    return speaks_for_municipality(user, application.municipality)


@rules.predicate
def is_board_member_for_application(user, application: Application) -> bool:
    return _branch_id_of(application.municipality) in role_scope(user).branch_ids


def application_is_open_for_changes(application: Application, *, now=None) -> bool:
    """Draft, submitted or withdrawn, and the municipality's own deadline (if any) not yet passed."""
    from .selectors import application_deadline_for

    if application.status in (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.DECLINED,
    ):
        return False
    now = now or timezone.now()
    rp = application.regional_program
    if rp.applications_open_at and now < rp.applications_open_at:
        return False
    deadline = getattr(application, "effective_deadline", None)
    if deadline is None:
        deadline = application_deadline_for(regional_program=rp, municipality=application.municipality)
    return deadline is None or now <= deadline


@rules.predicate
def application_open(user, application: Application) -> bool:
    return application_is_open_for_changes(application)


can_edit_application = speaks_for_application & application_open

# Leadership runs the selection: window, criteria, deadline extensions, jury, ranking, decisions, letters.
can_manage_selection = is_leadership
# The application list and menu: leadership, and whoever writes or recommends applications.
can_see_applications = is_leadership | is_board_member | is_municipal_contact
# The jury's list of assigned applications and the review page.
can_review = is_jury_member


@rules.predicate
def can_recommend_application(user, application: Application) -> bool:
    """A board member of the application's branch, once it is sent in."""
    return is_board_member_for_application(user, application) and application.status not in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.WITHDRAWN,
    )


@rules.predicate
def can_decide_application(user, application: Application) -> bool:
    """Leadership decides on an application once it is sent in."""
    return bool(is_leadership(user)) and application.status not in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.WITHDRAWN,
    )


TEMPLATE_FLAGS = {
    "can_manage_selection": can_manage_selection,
    "can_see_applications": can_see_applications,
    "can_review": can_review,
}
