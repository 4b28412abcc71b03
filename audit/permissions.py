"""Who may read the audit trail: programme leadership only (everyone else gets 404 on the log pages)."""

from accounts.permissions import is_leadership

can_view_log = is_leadership

TEMPLATE_FLAGS = {"can_view_log": can_view_log}
