# English: «15 September 2027» and «15 September 2027, 23:59» (see config/formats/nb/formats.py).
DATE_FORMAT = r"j F Y"
DATETIME_FORMAT = r"j F Y, H:i"
