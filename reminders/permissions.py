"""Who may see and steer the outbox: programme leadership only. Everyone else gets 404 on its pages."""

import rules

from accounts.permissions import is_leadership

rules.add_perm("reminders.manage", is_leadership)


def can_manage_reminders(user) -> bool:
    return bool(is_leadership(user))
