"""The people the permission matrix tries every URL as, and the world they live in.

`build_world()` makes one user per role (anonymous has none) and their companies, all
approved, so a row only has to build what is particular to its URL.
"""

from dataclasses import dataclass, field

from tests import factories

ANONYMOUS = "anonymous"
OUTSIDER = "outsider"  # signed up and verified, in no company
EXHIBITOR_OWNER = "exhibitor_owner"
EXHIBITOR_MEMBER = "exhibitor_member"  # a non-owner colleague in the same exhibitor company
OTHER_EXHIBITOR = "other_exhibitor"  # owner of another exhibitor company
BUYER_OWNER = "buyer_owner"
OTHER_BUYER = "other_buyer"  # owner of another buyer company
STAFF = "staff"  # staff of the world's cooperative, which organises the world's exhibitions
OTHER_STAFF = "other_staff"  # staff of another cooperative: an organiser, but not of these shows
ADMIN = "admin"  # superuser (organiser too)

ROLES = (
    ANONYMOUS,
    OUTSIDER,
    EXHIBITOR_OWNER,
    EXHIBITOR_MEMBER,
    OTHER_EXHIBITOR,
    BUYER_OWNER,
    OTHER_BUYER,
    STAFF,
    OTHER_STAFF,
    ADMIN,
)

# Handy sets for `allowed=`; combine them with | and -.
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
# Those who run the world's exhibitions: their cooperative's staff and admins.
ORGANISERS = frozenset({STAFF, ADMIN})
# Pages for any organiser, whatever their cooperative (the company directory's vetting,
# creating a show of one's own cooperative).
ANY_STAFF = ORGANISERS | {OTHER_STAFF}
NOBODY = frozenset()
EXHIBITOR_PEOPLE = frozenset({EXHIBITOR_OWNER, EXHIBITOR_MEMBER, OTHER_EXHIBITOR})
BUYER_PEOPLE = frozenset({BUYER_OWNER, OTHER_BUYER})
COMPANY_PEOPLE = EXHIBITOR_PEOPLE | BUYER_PEOPLE
OWNERS = frozenset({EXHIBITOR_OWNER, OTHER_EXHIBITOR, BUYER_OWNER, OTHER_BUYER})


@dataclass
class World:
    """Everyone and their companies. `exhibitor` is the company of exhibitor_owner and
    exhibitor_member; `buyer` is buyer_owner's. `extra` is scratch space for a row's
    `build` to hand objects to its `data`."""

    users: dict
    cooperative: object
    exhibitor: object
    other_exhibitor: object
    buyer: object
    other_buyer: object
    extra: dict = field(default_factory=dict)

    def user(self, role):
        return self.users[role]


def build_world():
    cooperative = factories.default_cooperative()
    exhibitor = factories.ExhibitorFactory(name_en="Daehan Mold", hs=["848071"])
    other_exhibitor = factories.ExhibitorFactory(name_en="Busan Precision", hs=["8480"])
    buyer = factories.BuyerFactory(name_ja="東海商事", hs=["848071"])
    other_buyer = factories.BuyerFactory(name_ja="関西精機")

    def member(company, role="owner"):
        return factories.MembershipFactory(company=company, role=role).user

    users = {
        ANONYMOUS: None,
        OUTSIDER: factories.UserFactory(),
        EXHIBITOR_OWNER: member(exhibitor),
        EXHIBITOR_MEMBER: member(exhibitor, role="member"),
        OTHER_EXHIBITOR: member(other_exhibitor),
        BUYER_OWNER: member(buyer),
        OTHER_BUYER: member(other_buyer),
        STAFF: factories.StaffFactory(cooperative=cooperative),
        OTHER_STAFF: factories.StaffFactory(cooperative=factories.CooperativeFactory(name_en="Other Cooperative")),
        ADMIN: factories.AdminFactory(),
    }
    return World(
        users=users,
        cooperative=cooperative,
        exhibitor=exhibitor,
        other_exhibitor=other_exhibitor,
        buyer=buyer,
        other_buyer=other_buyer,
    )
