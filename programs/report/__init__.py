"""The programme's own report (step 9 of the year): participation, attendance, guidance hours, the
between-work hand-ins, development plans and the timeline, per regional programme or for a whole edition.

It reads every domain app, so it lives in its own package: nothing else in `programs` imports it."""
