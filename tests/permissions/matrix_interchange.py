"""Who may use the exhibition-data/1 import and export pages (rows run by test_matrix.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row


def upload(world):
    return {"file": SimpleUploadedFile("empty.json", b'{"format": "exhibition-data/1"}', "application/json")}


def own_show(world):
    world.extra["show"] = factories.ExhibitionFactory(cooperative=world.cooperative)
    return {}


ROWS = [
    Row("exhibitions:data_import", allowed=r.ANY_STAFF),
    Row("exhibitions:data_import", method="post", data=upload, label="upload", allowed=r.ANY_STAFF),
    # Nothing previewed in this session: an organiser is sent back to the form; others 404.
    Row("exhibitions:data_import_confirm", method="post", data=lambda w: {"sha256": "0" * 64}, allowed=r.ANY_STAFF),
    # Everything of the shows one runs (none for staff of another cooperative).
    Row("exhibitions:data_export", allowed=r.ANY_STAFF),
    Row(
        "exhibitions:data_export",
        build=own_show,
        data=lambda w: {"exhibition": w.extra["show"].slug},
        label="one show",
        allowed=r.ORGANISERS,
    ),
    Row(
        "exhibitions:data_export",
        data=lambda w: {"exhibition": "no-such-show"},
        label="unknown",
        allowed=frozenset(),
        denied=404,
    ),
]
