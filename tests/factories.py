"""factory_boy factories for every model the tests need. HS codes are the real ones,
loaded by migration (tests/conftest.py reloads them after transactional tests)."""

import datetime

import factory
from django.utils import timezone

from companies.models import Company, Cooperative, Membership, User
from exhibitions.models import (
    Booth,
    BuyerRegistration,
    Exhibition,
    ExhibitorApplication,
    Hall,
    Meeting,
    MeetingTable,
    Representative,
    Slot,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Mark the email as verified for allauth, unless verified=False."""
        if not create:
            return
        self.save()  # keeps the password set by the post-generation call above
        if extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name_en = "Korea Die Mold Cooperative"
    name_ko = "한국금형공업협동조합"


def default_cooperative():
    """The cooperative that runs ExhibitionFactory's exhibitions unless told otherwise, and
    that the `staff` fixture works for: staff run their own cooperative's shows only, so
    StaffFactory() alone is staff of a new, other cooperative."""
    return Cooperative.objects.get_or_create(
        website="https://cooperative.example/",
        defaults={"name_en": "Korea Die Mold Cooperative", "name_ko": "한국금형공업협동조합"},
    )[0]


class StaffFactory(UserFactory):
    cooperative = factory.SubFactory(CooperativeFactory)


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    kind = Company.Kind.EXHIBITOR
    ref = factory.Sequence(lambda n: f"T-{n:05d}")
    name_en = factory.Sequence(lambda n: f"Company {n}")
    country = "KR"
    city = "Incheon"
    languages = "ko en"
    status = Company.Status.APPROVED

    @factory.post_generation
    def hs(self, create, extracted, **kwargs):
        """hs=["848071", "8480"]: attach these (real) HS codes."""
        if create and extracted:
            self.hs_codes.set(extracted)


class ExhibitorFactory(CompanyFactory):
    kind = Company.Kind.EXHIBITOR
    country = "KR"


class BuyerFactory(CompanyFactory):
    kind = Company.Kind.BUYER
    ref = factory.Sequence(lambda n: f"JP-T{n:05d}")
    country = "JP"
    city = "Nagoya"
    languages = "ja"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    company = factory.SubFactory(ExhibitorFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class ExhibitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibition

    slug = factory.Sequence(lambda n: f"mold-show-{n}")
    cooperative = factory.LazyFunction(default_cooperative)
    title_en = factory.Sequence(lambda n: f"Korea Mold Show {n}")
    venue = "Tokyo Big Sight"
    city = "Tokyo"
    country = "JP"
    timezone = "Asia/Tokyo"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=2))
    status = Exhibition.Status.OPEN


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    exhibition = factory.SubFactory(ExhibitionFactory)
    name = factory.Sequence(lambda n: f"Hall {n}")


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    hall = factory.SubFactory(HallFactory)
    exhibition = factory.SelfAttribute("hall.exhibition")
    code = factory.Sequence(lambda n: f"A-{n:02d}")
    x = factory.Sequence(lambda n: (n % 20) * 3)
    y = factory.Sequence(lambda n: (n // 20) * 3)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExhibitorApplication

    exhibition = factory.SubFactory(ExhibitionFactory)
    company = factory.SubFactory(ExhibitorFactory)
    status = ExhibitorApplication.Status.SUBMITTED


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Faker("name")
    role = "Sales manager"
    languages = "ko en"


class BuyerRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerRegistration

    exhibition = factory.SubFactory(ExhibitionFactory)
    company = factory.SubFactory(BuyerFactory)
    status = BuyerRegistration.Status.APPROVED
    languages = "ja"


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    exhibition = factory.SubFactory(ExhibitionFactory)
    starts_at = factory.Sequence(
        lambda n: datetime.datetime(2030, 4, 14, 1, 0, tzinfo=datetime.UTC) + datetime.timedelta(minutes=30 * n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=30))


class MeetingTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingTable

    exhibition = factory.SubFactory(ExhibitionFactory)
    number = factory.Sequence(lambda n: n + 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    exhibition = factory.SubFactory(ExhibitionFactory)
    buyer = factory.SubFactory(BuyerFactory)
    exhibitor = factory.SubFactory(ExhibitorFactory)
    status = Meeting.Status.REQUESTED


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "companies.Invitation"

    company = factory.SubFactory(ExhibitorFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.MEMBER
    invited_by = factory.SubFactory(UserFactory)
