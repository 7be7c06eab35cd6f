# The same day-month-year order as the Indonesian pages: "6 Aug 2025".
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
