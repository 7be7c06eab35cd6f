# Dates as Indonesian government documents write them in tables: "6 Agu 2025", "8 Sep 2025"
# (Django's default for id, "j N Y", mixes "Juli", "Agu" and "Sep." in one page).
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H.i"
