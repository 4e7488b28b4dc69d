"""Who may use each URL of the companies app (rows run by test_matrix.py)."""

from tests import factories
from tests.permissions import roles as r
from tests.permissions.matrix import Row

EXHIBITOR_TEAM = frozenset({r.EXHIBITOR_OWNER, r.EXHIBITOR_MEMBER})
EXHIBITOR_MANAGERS = frozenset({r.EXHIBITOR_OWNER}) | r.ANY_STAFF


def exhibitor(world):
    return {"ref": world.exhibitor.ref}


def pending_exhibitor(world):
    world.exhibitor.status = "pending"
    world.exhibitor.save(update_fields=["status"])
    return {"ref": world.exhibitor.ref}


def rejected_exhibitor(world):
    world.exhibitor.status = "rejected"
    world.exhibitor.save(update_fields=["status"])
    return {"ref": world.exhibitor.ref}


def invitation_for_outsider(world):
    invitation = factories.InvitationFactory(
        company=world.exhibitor, email=world.user(r.OUTSIDER).email, invited_by=world.user(r.EXHIBITOR_OWNER)
    )
    return {"token": invitation.token}


def open_invitation(world):
    invitation = factories.InvitationFactory(
        company=world.exhibitor, email="newcomer@example.com", invited_by=world.user(r.EXHIBITOR_OWNER)
    )
    return {"ref": world.exhibitor.ref, "pk": invitation.pk}


def colleague_membership(world):
    from companies.models import Membership

    membership = Membership.objects.get(user=world.user(r.EXHIBITOR_MEMBER))
    return {"ref": world.exhibitor.ref, "pk": membership.pk}


def profile_data(world):
    return {"name_en": "Daehan Mold Co.", "country": "KR", "languages": ["ko", "en"], "hs_codes": ["848071"]}


ROWS = [
    Row("companies:list", allowed=r.EVERYONE),
    Row("companies:detail", build=exhibitor, label="approved", allowed=r.EVERYONE),
    Row(
        "companies:detail",
        build=pending_exhibitor,
        label="pending",
        allowed=EXHIBITOR_TEAM | r.ANY_STAFF,
        denied_anonymous=404,
    ),
    Row(
        "companies:detail",
        build=rejected_exhibitor,
        label="rejected",
        allowed=EXHIBITOR_TEAM | r.ANY_STAFF,
        denied_anonymous=404,
    ),
    Row("companies:edit", build=exhibitor, allowed=EXHIBITOR_MANAGERS),
    Row("companies:edit", build=pending_exhibitor, label="pending", allowed=EXHIBITOR_MANAGERS),
    Row("companies:edit", build=exhibitor, method="post", data=profile_data, label="save", allowed=EXHIBITOR_MANAGERS),
    Row("companies:onboarding", allowed=r.SIGNED_IN),
    Row("companies:create", allowed={r.OUTSIDER}),
    Row(
        "companies:create",
        method="post",
        data=lambda w: {"kind": "buyer", "name_ja": "新規商事", "country": "JP"},
        label="submit",
        allowed={r.OUTSIDER},
    ),
    Row("companies:hs_search", data=lambda w: {"q": "mould"}, allowed=r.EVERYONE),
    Row("companies:review", allowed=r.ANY_STAFF),
    Row(
        "companies:review_decide",
        method="post",
        build=pending_exhibitor,
        data=lambda w: {"decision": "approve"},
        allowed=r.ANY_STAFF,
    ),
    Row("companies:notifications", allowed=r.SIGNED_IN),
    Row("companies:profile", allowed=r.SIGNED_IN),
    Row("companies:notifications_read", method="post", allowed=r.SIGNED_IN),
    Row("companies:invitation_accept", build=invitation_for_outsider, allowed={r.OUTSIDER}),
    Row(
        "companies:invitation_accept",
        method="post",
        build=invitation_for_outsider,
        label="accept",
        allowed={r.OUTSIDER},
    ),
    Row("companies:team", build=exhibitor, allowed=EXHIBITOR_TEAM | r.ANY_STAFF),
    Row(
        "companies:invite",
        method="post",
        build=exhibitor,
        data=lambda w: {"email": "colleague@example.com", "role": "member"},
        allowed=EXHIBITOR_MANAGERS,
    ),
    Row("companies:invitation_cancel", method="post", build=open_invitation, allowed=EXHIBITOR_MANAGERS),
    Row(
        "companies:member_remove",
        method="post",
        build=colleague_membership,
        # Owners remove people; a member may remove itself (leave).
        allowed=EXHIBITOR_MANAGERS | {r.EXHIBITOR_MEMBER},
    ),
    Row(
        "companies:member_role",
        method="post",
        build=colleague_membership,
        data=lambda w: {"role": "owner"},
        allowed=EXHIBITOR_MANAGERS,
    ),
]
