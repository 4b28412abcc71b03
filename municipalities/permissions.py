"""Who may see and change counties, branches and municipalities. Views, selectors and templates all ask
these predicates; a Django superuser without a role in the programme gets no more than their roles give."""

from accounts.permissions import is_board_member, is_leadership, is_municipal_contact

# Branches, counties and the member flag belong to the programme leadership.
can_manage_reference_data = is_leadership
# A board member may look up the municipalities of the counties their own branch covers (read-only).
can_view_municipalities = is_leadership | is_board_member
# The dashboard's "your branch" / "your municipality" panels.
has_own_branch_or_municipality = is_board_member | is_municipal_contact


TEMPLATE_FLAGS = {
    "can_manage_reference_data": can_manage_reference_data,
    "can_view_municipalities": can_view_municipalities,
    "has_own_branch_or_municipality": has_own_branch_or_municipality,
}
