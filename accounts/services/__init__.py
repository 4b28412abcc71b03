"""Every write about people, one module per process: roles, people (activation), invitations, and the
flooding limit on link e-mails. Two-factor sign-in has its own module, `accounts.two_factor`.

Permission checks are the caller's job (views, other apps' services): these functions trust `actor` and
record it in the audit trail. Import from here (`accounts.services`) or from the module.
"""

from .flooding import mail_flood_reached
from .invitations import (
    INVITATION_VALID_DAYS,
    MAX_NAME_LENGTH,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_find,
    invitation_resend,
)
from .people import user_deactivate, user_reactivate
from .roles import role_add, role_audit_details, role_remove, role_scope_validate

__all__ = [
    "INVITATION_VALID_DAYS",
    "MAX_NAME_LENGTH",
    "invitation_accept",
    "invitation_cancel",
    "invitation_create",
    "invitation_find",
    "invitation_resend",
    "mail_flood_reached",
    "role_add",
    "role_audit_details",
    "role_remove",
    "role_scope_validate",
    "user_deactivate",
    "user_reactivate",
]
