"""A small mould-industry glossary that maps English, Korean and Japanese terms onto shared
concept tokens, so that a Korean exhibitor's 사출금형 and a Japanese buyer's 射出成形金型 meet.

Latin terms match on word boundaries (after "mould" is folded to "mold"); Korean and
Japanese terms match as substrings, since neither is written with spaces between words
(Japanese) or attaches particles to nouns (Korean).
"""

import re

# concept: (English label, terms in any of the three languages)
CONCEPTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "injection_mold": (
        "injection moulds",
        (
            "injection mold",
            "injection molds",
            "injection molding",
            "plastic mold",
            "plastic injection",
            "사출금형",
            "사출 금형",
            "사출성형",
            "사출",
            "플라스틱 금형",
            "射出成形金型",
            "射出成形",
            "射出金型",
            "射出",
            "インジェクション",
            "プラスチック金型",
        ),
    ),
    "press_die": (
        "press dies",
        (
            "press die",
            "press dies",
            "stamping die",
            "stamping dies",
            "stamping",
            "press tool",
            "press tooling",
            "프레스금형",
            "프레스 금형",
            "프레스",
            "금형 프레스",
            "プレス金型",
            "プレス",
            "打ち抜き",
        ),
    ),
    "progressive_die": (
        "progressive dies",
        ("progressive die", "progressive dies", "프로그레시브", "순차이송", "順送金型", "順送", "プログレッシブ"),
    ),
    "die_casting": (
        "die casting",
        (
            "die casting",
            "die-casting",
            "diecasting",
            "die cast",
            "다이캐스팅",
            "다이케스팅",
            "ダイカスト",
            "ダイキャスト",
        ),
    ),
    "hot_runner": ("hot runners", ("hot runner", "hot runners", "hot-runner", "핫러너", "핫 러너", "ホットランナー")),
    "mold_base": (
        "mould bases",
        (
            "mold base",
            "mold bases",
            "die set",
            "die sets",
            "몰드베이스",
            "몰드 베이스",
            "금형 베이스",
            "モールドベース",
            "ダイセット",
        ),
    ),
    "edm": (
        "EDM",
        (
            "edm",
            "electrical discharge",
            "spark erosion",
            "wire cut",
            "wire cutting",
            "wire edm",
            "방전가공",
            "방전",
            "와이어컷",
            "와이어 컷",
            "放電加工",
            "放電",
            "ワイヤーカット",
            "ワイヤカット",
        ),
    ),
    "cnc": (
        "CNC machining",
        (
            "cnc",
            "machining",
            "milling",
            "machining center",
            "5-axis",
            "5 axis",
            "가공",
            "밀링",
            "머시닝",
            "マシニング",
            "切削加工",
            "フライス",
        ),
    ),
    "automotive": (
        "automotive parts",
        (
            "automotive",
            "automobile",
            "vehicle",
            "vehicles",
            "car",
            "cars",
            "auto parts",
            "자동차",
            "차량",
            "自動車",
            "車載",
            "カーメーカー",
        ),
    ),
    "ev_battery": (
        "EV and batteries",
        (
            "ev",
            "electric vehicle",
            "electric vehicles",
            "battery",
            "batteries",
            "전기차",
            "배터리",
            "이차전지",
            "電気自動車",
            "バッテリー",
            "電池",
        ),
    ),
    "electronics": (
        "electronics",
        ("electronics", "electronic", "connector", "connectors", "전자", "커넥터", "電子", "コネクタ"),
    ),
    "home_appliance": (
        "home appliances",
        ("home appliance", "home appliances", "appliance", "appliances", "가전", "家電"),
    ),
    "medical": ("medical devices", ("medical", "의료", "医療")),
    "packaging": (
        "packaging",
        (
            "packaging",
            "cap",
            "caps",
            "closure",
            "closures",
            "bottle",
            "bottles",
            "container",
            "containers",
            "포장",
            "용기",
            "캡",
            "包装",
            "容器",
            "キャップ",
            "ボトル",
        ),
    ),
    "blow_mold": ("blow moulding", ("blow mold", "blow molding", "블로우", "중공성형", "ブロー成形", "ブロー")),
    "rubber_mold": (
        "rubber moulds",
        ("rubber mold", "rubber molds", "silicone mold", "고무금형", "고무 금형", "ゴム金型"),
    ),
    "forging_die": ("forging dies", ("forging", "forging die", "단조", "鍛造")),
    "mold_steel": ("mould steel", ("mold steel", "tool steel", "금형강", "공구강", "金型鋼", "工具鋼")),
    "two_shot": (
        "two-shot moulding",
        ("two-shot", "two shot", "2k", "double shot", "multi-material", "이중사출", "2색사출", "二色成形", "2色成形"),
    ),
    "multi_cavity": ("multi-cavity moulds", ("multi-cavity", "multi cavity", "다수캐비티", "멀티캐비티", "多数個取り")),
    "precision": ("precision parts", ("precision", "high precision", "정밀", "精密")),
    "prototype": ("prototypes", ("prototype", "prototyping", "rapid tooling", "시제품", "시작품", "試作")),
    "optical": ("optical parts", ("optical", "lens", "lenses", "광학", "렌즈", "光学", "レンズ")),
    "lamp": ("lamps and lighting", ("headlamp", "lamp", "lamps", "lighting", "램프", "헤드램프", "ランプ", "照明")),
    "interior_trim": ("interior trim", ("interior trim", "interior parts", "내장", "内装")),
    "bumper": (
        "bumpers and exterior parts",
        ("bumper", "bumpers", "exterior parts", "범퍼", "외장", "バンパー", "外装"),
    ),
    "semiconductor": ("semiconductor parts", ("semiconductor", "반도체", "半導体")),
    "aluminium": ("aluminium", ("aluminum", "aluminium", "알루미늄", "アルミ")),
    "sheet_metal": ("sheet metal", ("sheet metal", "판금", "板金")),
    "jig_fixture": ("jigs and fixtures", ("jig", "jigs", "fixture", "fixtures", "지그", "치공구", "治具")),
    "cutting_tool": (
        "cutting tools",
        ("cutting tool", "cutting tools", "end mill", "절삭공구", "엔드밀", "切削工具", "エンドミル"),
    ),
    "inspection": (
        "inspection and measuring",
        ("inspection", "measuring", "measurement", "cmm", "측정", "검사", "測定", "検査"),
    ),
    "mold_repair": (
        "mould repair",
        ("mold repair", "maintenance", "금형수리", "금형 수리", "金型修理", "メンテナンス"),
    ),
    "plastic_parts": ("plastic parts", ("plastic parts", "resin", "플라스틱", "수지", "プラスチック", "樹脂")),
    "mold": ("moulds and dies", ("mold", "molds", "die", "dies", "tooling", "금형", "金型")),
}


def fold(text: str) -> str:
    """Lower case, British to American spelling of the trade's key word."""
    return text.lower().replace("mould", "mold")


def _compile():
    latin, cjk = [], []
    for concept, (_label, terms) in CONCEPTS.items():
        for term in terms:
            term = fold(term)
            (latin if term.isascii() else cjk).append((term, concept))
    # Longest first, so "press die" wins over "press", and 사출금형 over 사출.
    latin.sort(key=lambda t: -len(t[0]))
    cjk.sort(key=lambda t: -len(t[0]))
    latin_re = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(t) for t, _ in latin) + r")(?![a-z0-9])")
    cjk_re = re.compile("|".join(re.escape(t) for t, _ in cjk))
    return latin_re, dict(latin), cjk_re, dict(cjk)


_LATIN_RE, _LATIN, _CJK_RE, _CJK = _compile()


def concepts_in(text: str) -> tuple[list[str], str]:
    """The concept tokens found in `text` (with repeats), and the text with those terms removed."""
    text = fold(text)
    found = []

    def latin(match):
        found.append(_LATIN[match.group(1)])
        return " "

    def cjk(match):
        found.append(_CJK[match.group(0)])
        return " "

    text = _LATIN_RE.sub(latin, text)
    text = _CJK_RE.sub(cjk, text)
    return found, text


def concept_label(concept: str) -> str:
    """The English label of a concept (reasons translate it through gettext)."""
    return CONCEPTS[concept][0]
