"""At-the-show writes."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from exhibitions.models import CheckIn


def check_in(*, exhibition, person, by):
    """Record `person`'s arrival today (the exhibition's day). Returns (check_in, created).

    Side effects: one CheckIn row per exhibition, person and day (a database constraint); a
    second scan the same day, even a racing one, returns the first row with created=False.
    """
    day = timezone.localtime(timezone.now(), exhibition.tzinfo).date()
    try:
        with transaction.atomic():
            return CheckIn.objects.get_or_create(exhibition=exhibition, person=person, day=day, defaults={"by": by})
    except IntegrityError:
        return CheckIn.objects.get(exhibition=exhibition, person=person, day=day), False
