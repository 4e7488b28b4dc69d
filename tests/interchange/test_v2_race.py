"""Two staff import the same version 2 file at the same moment (PostgreSQL only): the second
waits for the first and then finds everything there, slots and seats included."""

from exhibitions.interchange import import_exhibition_data
from exhibitions.models import Interpreter, Meeting, MeetingHours, Slot, Wish
from tests.races import POSTGRES_ONLY, race

from .conftest import load

pytestmark = POSTGRES_ONLY


def test_concurrent_imports_of_one_version_2_file_write_each_row_once():
    results = race([lambda: import_exhibition_data(data=load("v2/example-2.json"))] * 2, refusal=())
    assert [kind for kind, _plan in results] == ["ok", "ok"], results
    plans = [plan for _kind, plan in results]
    assert sorted(p.counts()["wish"]["create"] for p in plans) == [0, 3]
    assert sorted(p.changes_anything for p in plans) == [False, True]
    assert (Interpreter.objects.count(), Wish.objects.count(), MeetingHours.objects.count()) == (1, 3, 2)
    assert Slot.objects.filter(exhibition__slug="mold-japan-2027").count() == 24
    assert Meeting.objects.count() == 2
