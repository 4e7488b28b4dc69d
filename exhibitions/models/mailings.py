"""Staff mailings: one message, written once per language, sent to a group of the people
taking part in an exhibition (exhibitions/mailings.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .exhibitions import Exhibition

LANGUAGES = ("en", "ko", "ja")


class Mailing(models.Model):
    """A mailing staff sent; each recipient's copy is a Notification (`mailing_ref` = pk),
    which is where sent and failed are counted."""

    class Group(models.TextChoices):
        EVERYONE = "everyone", _("Everyone taking part (exhibitors and buyers)")
        EXHIBITORS = "exhibitors", _("All approved exhibitors")
        EXHIBITORS_WITHOUT_MEETINGS = "exhibitors_without_meetings", _("Exhibitors without any booked meeting")
        BUYERS = "buyers", _("All approved buyers")
        BUYERS_WITHOUT_DAYS = "buyers_without_days", _("Buyers who have not chosen their visit days")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="mailings")
    group = models.CharField(_("recipients"), max_length=40, choices=Group.choices)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    subject_ko = models.CharField(_("subject (Korean)"), max_length=200, blank=True)
    subject_ja = models.CharField(_("subject (Japanese)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"))
    body_ko = models.TextField(_("message (Korean)"), blank=True)
    body_ja = models.TextField(_("message (Japanese)"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject_en

    def text(self, language):
        """(subject, body) in `language`; English where that language was left empty."""
        subject = getattr(self, f"subject_{language}", "") or self.subject_en
        body = getattr(self, f"body_{language}", "") or self.body_en
        return subject, body

    @property
    def subject(self):
        """In the active language (the recipient's, when an email is written)."""
        return self.text(translation.get_language() or "en")[0]

    @property
    def body(self):
        return self.text(translation.get_language() or "en")[1]
