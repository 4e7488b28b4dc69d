# Fairlink's date formats for Japanese (see config/formats/en/formats.py): 2027年4月15日(木).
DAY_FORMAT = "Y年n月j日({w})"
MONTH_DAY_WEEKDAY_FORMAT = "n月j日({w})"
WEEKDAYS_SHORT = ("月", "火", "水", "木", "金", "土", "日")
