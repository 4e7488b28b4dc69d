# Fairlink's date formats for English, besides Django's (config.settings FORMAT_MODULE_PATH).
# DAY_FORMAT: a day with its weekday; MONTH_DAY_WEEKDAY_FORMAT: the same within one year.
# "{w}" is the short weekday: WEEKDAYS_SHORT[Monday=0..] when given, else Django's "D".
# Read by the `day` and `monthday` filters of exhibitions/templatetags/local_dates.py.
DAY_FORMAT = "{w}, N j, Y"
MONTH_DAY_WEEKDAY_FORMAT = "{w}, N j"
