# The one way a date and a date-time are written, on pages, in e-mails and in exports (issue 12):
# «15. september 2027» and «15. september 2027 kl. 23:59». Templates use |date (DATE_FORMAT) and
# |date:"DATETIME_FORMAT"; Python uses core.dates. Django's own nb module gives everything not named here.
DATE_FORMAT = r"j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H:i"
