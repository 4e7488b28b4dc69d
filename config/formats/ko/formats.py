# Fairlink's date formats for Korean (see config/formats/en/formats.py): 2027년 4월 15일 (목).
# Django's Korean "D" is the whole weekday (목요일), hence our one-syllable names.
DAY_FORMAT = "Y년 n월 j일 ({w})"
MONTH_DAY_WEEKDAY_FORMAT = "n월 j일 ({w})"
WEEKDAYS_SHORT = ("월", "화", "수", "목", "금", "토", "일")
