"""Who may do what with editions, interest registrations, dialogue meetings and annual-meeting decisions."""

import rules

from accounts.permissions import is_board_member_of_branch, is_leadership

# Leadership runs editions, the temperaturmåling, extensions, dialogue meetings and regional programmes.
rules.add_perm("programs.manage_program", is_leadership)
# A board member writes their own branch's interest registration and annual-meeting decision.
rules.add_perm("programs.edit_branch_interest", is_board_member_of_branch)
# Reading a branch's registration: its own board, and leadership.
rules.add_perm("programs.view_branch_interest", is_leadership | is_board_member_of_branch)
