import pytest

from companies import services
from companies.models import Company, Membership, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_create_makes_a_pending_company_owned_by_its_creator(outsider, staff, admin_user):
    company = services.company_create(by=outsider, kind="exhibitor", name_ko="대한금형", country="kr")
    assert company.status == Company.Status.PENDING
    assert company.country == "KR"
    assert company.ref == "KR-0001"
    assert Membership.objects.get(user=outsider).company == company
    assert Membership.objects.get(user=outsider).role == Membership.Role.OWNER
    notified = set(Notification.objects.filter(template="company_submitted").values_list("user__email", flat=True))
    assert notified == {staff.email, admin_user.email}


def test_generated_refs_follow_the_highest_number_per_country(db):
    factories.ExhibitorFactory(ref="KR-0009")
    factories.ExhibitorFactory(ref="KR-0010")
    factories.BuyerFactory(ref="JP-0011")
    assert services.next_company_ref(country="KR") == "KR-0011"
    assert services.next_company_ref(country="JP") == "JP-0012"
    assert services.next_company_ref(country="DE") == "DE-0001"
    factories.ExhibitorFactory(ref="KR-12000")
    assert services.next_company_ref(country="kr") == "KR-12001"


def test_create_keeps_a_given_ref_and_refuses_a_taken_one(db):
    first = factories.UserFactory()
    second = factories.UserFactory()
    services.company_create(by=first, kind="buyer", name_ja="東京商事", country="JP", ref="JP-TOKYO")
    with pytest.raises(services.CompanyError, match="JP-TOKYO"):
        services.company_create(by=second, kind="buyer", name_ja="別会社", country="JP", ref="JP-TOKYO")
    assert not Membership.objects.filter(user=second).exists()


def test_a_person_in_a_company_cannot_create_another(exhibitor_owner):
    with pytest.raises(services.CompanyError):
        services.company_create(by=exhibitor_owner, kind="exhibitor", name_en="Second", country="KR")
    assert Company.objects.filter(name_en="Second").count() == 0


def test_update_sets_certifications_and_hs_codes(exhibitor_owner):
    company = exhibitor_owner.company
    certs = services.certifications_from_text("ISO 9001\niso 9001, IATF 16949")
    assert [c.name for c in certs] == ["ISO 9001", "IATF 16949"]
    services.company_update(
        company=company, by=exhibitor_owner, fields={"city": "Ansan"}, certifications=certs, hs_codes=["848071"]
    )
    company.refresh_from_db()
    assert company.city == "Ansan"
    assert {c.name for c in company.certifications.all()} == {"ISO 9001", "IATF 16949"}
    assert [h.code for h in company.hs_codes.all()] == ["848071"]
    # An existing certification is reused, whatever its case.
    assert services.certifications_from_text("iatf 16949")[0].pk == certs[1].pk


def test_last_owner_cannot_leave_or_step_down(exhibitor_owner, exhibitor_colleague):
    owner = Membership.objects.get(user=exhibitor_owner)
    with pytest.raises(services.CompanyError):
        services.membership_remove(membership=owner, by=exhibitor_owner)
    with pytest.raises(services.CompanyError):
        services.membership_set_role(membership=owner, role="member", by=exhibitor_owner)
    colleague = Membership.objects.get(user=exhibitor_colleague)
    services.membership_set_role(membership=colleague, role="owner", by=exhibitor_owner)
    services.membership_set_role(membership=owner, role="member", by=exhibitor_owner)
    assert Membership.objects.get(user=exhibitor_owner).role == "member"
    services.membership_remove(membership=owner, by=exhibitor_colleague)
    assert not Membership.objects.filter(user=exhibitor_owner).exists()


def test_mark_read_touches_only_the_persons_notices(outsider, staff):
    from companies.notifications import notify

    notify(user=outsider, key="a", template="company_approved", context={"company_name": "A", "ref": "KR-1"})
    notify(user=staff, key="b", template="company_approved", context={"company_name": "B", "ref": "KR-2"})
    assert services.notifications_mark_read(user=outsider) == 1
    assert Notification.objects.get(key="b").read_at is None
