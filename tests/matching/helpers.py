"""Small hand-made exhibitions for the matching tests."""

from tests import factories


def small_exhibition():
    """An open exhibition with 3 exhibitors and 2 buyers, and what each makes or sources."""
    exhibition = factories.ExhibitionFactory()
    moulds = factories.ExhibitorFactory(
        ref="KR-0001", name_en="Hanil Mold", hs=["848071"], keywords="injection mould, automotive", languages="ko ja"
    )
    press = factories.ExhibitorFactory(
        ref="KR-0002", name_en="Daesung Press", hs=["820730"], description_ko="자동차 차체용 프레스금형", languages="ko"
    )
    casting = factories.ExhibitorFactory(ref="KR-0003", name_en="Busan Casting", hs=["848041"], keywords="die casting")
    for company in (moulds, press, casting):
        factories.ApplicationFactory(exhibition=exhibition, company=company, status="approved")
    buyer = factories.BuyerFactory(
        ref="JP-0001", name_en="Tokai Auto", hs=["848071"], description_ja="自動車内装部品の射出成形金型を探しています"
    )
    other = factories.BuyerFactory(ref="JP-0002", name_en="Osaka Stamping", hs=["8207"], keywords="press die")
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=buyer)
    factories.BuyerRegistrationFactory(exhibition=exhibition, company=other)
    return {
        "exhibition": exhibition,
        "moulds": moulds,
        "press": press,
        "casting": casting,
        "buyer": buyer,
        "other_buyer": other,
    }
