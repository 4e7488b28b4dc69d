"""Staff import into, and export from, their own cooperative's shows only; admins and the
command line anywhere."""

import pytest
from django.urls import reverse
from django.utils import translation

from exhibitions.interchange import ImportRejected, export_exhibition_data, import_exhibition_data, plan_import
from exhibitions.models import Exhibition
from tests import factories

from .conftest import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs():
    """The example file imported by the command line (no user): the first cooperative's."""
    import_exhibition_data(data=load("example.json"))
    return Exhibition.objects.order_by("id").first().cooperative


def test_staff_of_another_cooperative_cannot_import_into_its_shows(theirs):
    other = factories.StaffFactory(cooperative=factories.CooperativeFactory(name_en="Busan Mold Cooperative"))
    data = load("example.json")
    data["companies"][0]["city"] = "Siheung"
    with pytest.raises(ImportRejected) as rejected:
        import_exhibition_data(data=data, by=other)
    where = {problem.parts[0] for problem in rejected.value.problems}
    assert where == {"exhibitions", "participations", "meetings"}  # every record naming their shows
    slugs = [e["slug"] for e in data["exhibitions"]]
    assert all(
        any(slug in problem.message for slug in slugs) and "another cooperative" in problem.message
        for problem in rejected.value.problems
    )
    assert not factories.ExhibitorFactory._meta.model.objects.filter(city="Siheung").exists()  # nothing written
    assert plan_import(data, by=other).problems  # the preview says the same


def test_their_own_staff_and_admins_can(theirs):
    data = load("example.json")
    data["companies"][0]["city"] = "Siheung"
    assert import_exhibition_data(data=data, by=factories.StaffFactory(cooperative=theirs)).changes_anything
    data["companies"][0]["city"] = "Ansan"
    assert import_exhibition_data(data=data, by=factories.AdminFactory()).changes_anything


def test_a_new_show_belongs_to_the_importing_staffs_cooperative(theirs):
    mine = factories.CooperativeFactory(name_en="Busan Mold Cooperative")
    data = load("example.json")
    show = data["exhibitions"][0]["slug"]
    data["exhibitions"] = [dict(data["exhibitions"][0], slug="busan-mold-2027")]
    data["participations"] = [
        dict(p, exhibition="busan-mold-2027") for p in data["participations"] if p["exhibition"] == show
    ]
    data["meetings"] = []
    import_exhibition_data(data=data, by=factories.StaffFactory(cooperative=mine))
    assert Exhibition.objects.get(slug="busan-mold-2027").cooperative == mine


def test_exporting_everything_of_one_cooperative_leaves_the_others_shows_out(theirs):
    mine = factories.CooperativeFactory(name_en="Busan Mold Cooperative")
    own = factories.ExhibitionFactory(cooperative=mine, slug="busan-mold-2027")
    everything = export_exhibition_data()
    ours = export_exhibition_data(cooperative=mine)
    assert {e["slug"] for e in ours["exhibitions"]} == {own.slug}
    assert {e["slug"] for e in everything["exhibitions"]} == {own.slug} | set(
        Exhibition.objects.filter(cooperative=theirs).values_list("slug", flat=True)
    )
    assert ours["meetings"] == [] and ours["participations"] == []


def test_the_refusal_is_in_the_readers_language(theirs):
    other = factories.StaffFactory(cooperative=factories.CooperativeFactory(name_en="Busan Mold Cooperative"))
    with translation.override("ja"):
        problems = plan_import(load("example.json"), by=other).problems
    assert problems and all("別の組合" in problem.message for problem in problems)


def test_the_export_button_says_whose_shows_it_exports(client, staff, admin_user):
    url = reverse("exhibitions:data_import")
    client.force_login(staff)
    assert "All of our cooperative's exhibitions" in client.get(url).content.decode()
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert "Everything" in page and "our cooperative" not in page
