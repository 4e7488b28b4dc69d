"""Who may use each exhibitions URL (halls, booths, applications, registrations, directory).

Meetings and data interchange URLs have their own matrix modules."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row

EXHIBITOR_TEAM = frozenset({r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER})


def show(world, status="open"):
    exhibition = factories.ExhibitionFactory(cooperative=world.cooperative, status=status, slug=f"matrix-{status}")
    hall = factories.HallFactory(exhibition=exhibition, name="Hall 1")
    world.extra["booth"] = factories.BoothFactory(hall=hall, code="B-07")
    world.extra["hall"] = hall
    world.extra["exhibition"] = exhibition
    return exhibition


def open_show(world):
    return {"slug": show(world).slug}


def draft_show(world):
    return {"slug": show(world, status="draft").slug}


def booth(world):
    return {"slug": show(world).slug, "code": "B-07"}


def with_application(world, status="submitted"):
    exhibition = show(world)
    application = factories.ApplicationFactory(exhibition=exhibition, company=world.exhibitor, status=status)
    factories.RepresentativeFactory(application=application)
    world.extra["application"] = application
    return {"slug": exhibition.slug}


def application_pk(world, status="submitted"):
    kwargs = with_application(world, status=status)
    return dict(kwargs, pk=world.extra["application"].pk)


def registration_pk(world):
    exhibition = show(world)
    registration = factories.BuyerRegistrationFactory(exhibition=exhibition, company=world.buyer, status="pending")
    return {"slug": exhibition.slug, "pk": registration.pk}


def exhibition_data(world):
    exhibition = world.extra["exhibition"]
    return {
        "slug": exhibition.slug,
        "title_en": "Matrix Show",
        "city": "Tokyo",
        "country": "JP",
        "timezone": "Asia/Tokyo",
        "starts_on": exhibition.starts_on.isoformat(),
        "ends_on": exhibition.ends_on.isoformat(),
        "status": "open",
        "cooperative": world.cooperative.pk,
    }


def booth_csv(world):
    text = "hall,code,kind,width,depth,price,x,y\nHall 1,C-01,standard,3,3,0,0,10\n"
    return {"file": SimpleUploadedFile("booths.csv", text.encode(), content_type="text/csv")}


ROWS = [
    Row("exhibitions:list", allowed=r.EVERYONE),
    Row("exhibitions:detail", build=open_show, label="open", allowed=r.EVERYONE),
    Row("exhibitions:detail", build=draft_show, label="draft", allowed=r.ORGANISERS, denied_anonymous=404),
    Row("exhibitions:directory", build=open_show, label="open", allowed=r.EVERYONE),
    Row("exhibitions:directory", build=draft_show, label="draft", allowed=r.ORGANISERS, denied_anonymous=404),
    Row("exhibitions:booth", build=booth, allowed=r.EVERYONE),
    Row("exhibitions:create", allowed=r.ANY_STAFF),
    Row("exhibitions:edit", build=open_show, allowed=r.ORGANISERS),
    Row("exhibitions:edit", build=open_show, method="post", data=exhibition_data, label="save", allowed=r.ORGANISERS),
    # An exhibitor company applies; its people see and change only their own application.
    Row("exhibitions:apply", build=open_show, allowed=r.EXHIBITOR_PEOPLE),
    Row("exhibitions:application", build=with_application, allowed=r.EXHIBITOR_PEOPLE),
    Row("exhibitions:application_edit", build=with_application, allowed=EXHIBITOR_TEAM),
    Row("exhibitions:application_withdraw", method="post", build=with_application, allowed=EXHIBITOR_TEAM),
    Row("exhibitions:register", build=open_show, allowed=r.BUYER_PEOPLE),
    Row("exhibitions:registration", build=open_show, allowed=r.BUYER_PEOPLE),
    # Staff.
    Row("exhibitions:dashboard", build=open_show, allowed=r.ORGANISERS),
    Row("exhibitions:layout", build=open_show, allowed=r.ORGANISERS),
    Row(
        "exhibitions:layout_hall",
        method="post",
        build=open_show,
        data=lambda w: {"name": "Hall 2"},
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:layout_grid",
        method="post",
        build=open_show,
        data=lambda w: {
            "hall": w.extra["hall"].pk,
            "rows": "C-D",
            "numbers": "1-5",
            "size": "3x3",
            "kind": "standard",
            "price": 0,
            "aisle": 2,
        },
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:layout_csv", method="post", build=open_show, data=booth_csv, allowed=r.ORGANISERS),
    Row("exhibitions:applications", build=open_show, allowed=r.ORGANISERS),
    Row("exhibitions:application_review", build=application_pk, allowed=r.ORGANISERS),
    Row(
        "exhibitions:application_review",
        method="post",
        build=application_pk,
        data=lambda w: {"status": "waitlisted"},
        label="decide",
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:application_assign",
        method="post",
        build=lambda w: application_pk(w, status="approved"),
        data=lambda w: {"booth": w.extra["booth"].pk},
        allowed=r.ORGANISERS,
    ),
    Row("exhibitions:registrations", build=open_show, allowed=r.ORGANISERS),
    Row("exhibitions:registration_review", build=registration_pk, allowed=r.ORGANISERS),
    Row(
        "exhibitions:registration_review",
        method="post",
        build=registration_pk,
        data=lambda w: {"status": "approved"},
        label="decide",
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:export",
        build=lambda w: {"slug": show(w).slug, "what": "exhibitors", "fmt": "csv"},
        label="exhibitors csv",
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:export",
        build=lambda w: {"slug": show(w).slug, "what": "buyers", "fmt": "xlsx"},
        label="buyers xlsx",
        allowed=r.ORGANISERS,
    ),
]
