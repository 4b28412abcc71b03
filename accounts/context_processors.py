from .permissions import role_scope


def roles(request):
    """The signed-in person's role assignments, for the header."""
    user = getattr(request, "user", None)
    scope = role_scope(user)
    return {"role_scope": scope, "role_assignments": scope.assignments}
