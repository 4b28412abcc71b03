"""What accounts tells the other apps. Accounts knows nothing of them; the owning app answers.

`invitation_accepted` is sent inside the accepting transaction, once the account exists and has the
invited role: keyword arguments `invitation` and `user`. A receiver that fails rolls the acceptance back,
so a receiver does one small write through its own service (e.g. applications links the jury places given
to the invited e-mail address)."""

from django.dispatch import Signal

invitation_accepted = Signal()
