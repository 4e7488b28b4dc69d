"""Who may use the staff mailings page (issue 13): the organisers of the exhibition's
cooperative (the world's staff) and admins; staff of another cooperative (other_staff) get
404 like everyone else."""

from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row


def show(world):
    """An exhibition of the world's cooperative with the world's companies taking part."""
    if "mailing_show" not in world.extra:
        exhibition = factories.ExhibitionFactory(cooperative=world.cooperative)
        for company in (world.exhibitor, world.other_exhibitor):
            factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved")
        for company in (world.buyer, world.other_buyer):
            factories.BuyerRegistrationFactory(exhibition=exhibition, company=company)
        world.extra["mailing_show"] = exhibition
    return {"slug": world.extra["mailing_show"].slug}


TEXT = {"group": "exhibitors", "subject_en": "Set-up times", "body_en": "Hall A opens at 8."}

ROWS = [
    Row("exhibitions:mailings", build=show, allowed=r.ORGANISERS),
    Row("exhibitions:mailings", method="post", build=show, data=lambda w: TEXT, label="preview", allowed=r.ORGANISERS),
    Row(
        "exhibitions:mailings",
        method="post",
        build=show,
        data=lambda w: dict(TEXT, send="1", confirmed_count=2),
        label="send",
        allowed=r.ORGANISERS,
    ),
]
