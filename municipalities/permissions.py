"""Who may see and change counties, branches and municipalities.

Views ask the predicates directly rather than `user.has_perm`, so a Django superuser without a role in the
programme gets no more than their roles give (out of scope answers 404).
"""

import rules

from accounts.permissions import is_board_member, is_leadership

# Branches, counties and the member flag belong to the programme leadership.
may_manage_reference_data = is_leadership
# A board member may look up the municipalities of the counties their own branch covers (read-only).
may_view_municipalities = is_leadership | is_board_member

rules.add_perm("municipalities.manage_reference_data", may_manage_reference_data)
rules.add_perm("municipalities.view_municipalities", may_view_municipalities)
