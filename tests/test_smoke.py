from companies.models import HSCode


def test_hs_tree_is_loaded(db):
    assert HSCode.objects.count() == 6939
    mould = HSCode.objects.get(code="848071")
    assert mould.parent_id == "8480"
    assert mould.parent.parent_id == "84"
