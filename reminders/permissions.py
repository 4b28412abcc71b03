"""Who may see and steer the outbox: programme leadership only. Everyone else gets 404 on its pages."""

from accounts.permissions import is_leadership

can_manage_reminders = is_leadership

TEMPLATE_FLAGS = {"can_manage_reminders": can_manage_reminders}
