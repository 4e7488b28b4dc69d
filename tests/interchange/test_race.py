"""Two staff import the same file at the same moment (PostgreSQL only)."""

from companies.models import Company
from exhibitions.interchange import import_exhibition_data
from exhibitions.models import BuyerRegistration, Exhibition, ExhibitorApplication, Meeting
from tests.races import POSTGRES_ONLY, race

from .conftest import load

pytestmark = POSTGRES_ONLY


def test_concurrent_imports_of_one_file_create_each_row_once():
    results = race([lambda: import_exhibition_data(data=load("example.json"))] * 2, refusal=())
    assert [kind for kind, _plan in results] == ["ok", "ok"], results
    plans = [plan for _kind, plan in results]
    assert sorted(p.counts()["company"]["create"] for p in plans) == [0, 3]  # the second saw the first's rows
    assert Company.objects.count() == 3
    assert Exhibition.objects.count() == 2
    assert ExhibitorApplication.objects.count() + BuyerRegistration.objects.count() == 5
    assert Meeting.objects.count() == 1
