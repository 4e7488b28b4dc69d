"""What the synthetic worlds are made of: a mould-industry HS catalogue, phrases in three
languages, the companies and worlds as plain data, and the helpers every world uses."""

from dataclasses import dataclass, field

# (code, concepts it is written about, application)
CATALOGUE = [
    ("848071", ("injection_mold", "plastic_parts"), None),
    ("848079", ("blow_mold", "rubber_mold"), None),
    ("848041", ("die_casting", "aluminium"), None),
    ("848049", ("die_casting",), None),
    ("848010", ("mold_base",), None),
    ("848020", ("mold_base", "mold_steel"), None),
    ("848030", ("prototype",), None),
    ("848060", ("mold",), None),
    ("820730", ("press_die", "progressive_die"), None),
    ("820720", ("forging_die",), None),
    ("820719", ("cutting_tool",), None),
    ("820780", ("cutting_tool", "cnc"), None),
    ("820790", ("jig_fixture",), None),
    ("846229", ("sheet_metal", "press_die"), None),
    ("845961", ("cnc",), None),
    ("845941", ("cnc", "precision"), None),
    ("845611", ("precision",), None),
    ("845630", ("edm",), None),
    ("845710", ("cnc",), None),
    ("392690", ("plastic_parts",), None),
    ("392330", ("packaging", "plastic_parts"), "packaging"),
    ("392310", ("packaging",), "packaging"),
    ("732690", ("sheet_metal",), None),
    ("761699", ("aluminium",), None),
    ("870829", ("automotive", "bumper", "interior_trim"), "automotive"),
    ("870899", ("automotive",), "automotive"),
    ("870810", ("automotive", "bumper"), "automotive"),
    ("851220", ("lamp", "automotive"), "automotive"),
    ("853669", ("electronics",), "electronics"),
    ("853690", ("electronics",), "electronics"),
    ("847989", ("mold_repair",), None),
    ("901890", ("medical",), "medical"),
    ("401699", ("rubber_mold",), None),
    ("847780", ("plastic_parts", "hot_runner"), None),
    ("847710", ("injection_mold", "hot_runner"), None),
    ("903180", ("inspection",), None),
    ("853710", ("electronics", "ev_battery"), "electronics"),
    ("871420", ("medical",), "medical"),
]
APPLICATIONS = ("automotive", "electronics", "medical", "packaging", "home_appliance", "ev_battery", "optical")

# Words for texts: concept -> {language: phrase}. The matcher's glossary has most of these,
# but the generator words some differently, as real people would.
PHRASES = {
    "injection_mold": {"en": "plastic injection moulds", "ko": "사출금형", "ja": "射出成形金型"},
    "plastic_parts": {"en": "plastic parts", "ko": "플라스틱 부품", "ja": "樹脂部品"},
    "blow_mold": {"en": "blow moulds", "ko": "블로우 금형", "ja": "ブロー成形金型"},
    "rubber_mold": {"en": "rubber moulds", "ko": "고무금형", "ja": "ゴム金型"},
    "die_casting": {"en": "die casting dies", "ko": "다이캐스팅 금형", "ja": "ダイカスト金型"},
    "aluminium": {"en": "aluminium parts", "ko": "알루미늄 부품", "ja": "アルミ部品"},
    "mold_base": {"en": "mould bases", "ko": "몰드베이스", "ja": "モールドベース"},
    "mold_steel": {"en": "tool steel", "ko": "금형강", "ja": "金型鋼"},
    "prototype": {"en": "prototype tooling", "ko": "시제품 금형", "ja": "試作金型"},
    "mold": {"en": "moulds", "ko": "금형", "ja": "金型"},
    "press_die": {"en": "press dies", "ko": "프레스금형", "ja": "プレス金型"},
    "progressive_die": {"en": "progressive dies", "ko": "프로그레시브 금형", "ja": "順送金型"},
    "forging_die": {"en": "forging dies", "ko": "단조 금형", "ja": "鍛造金型"},
    "cutting_tool": {"en": "cutting tools", "ko": "절삭공구", "ja": "切削工具"},
    "cnc": {"en": "CNC machining", "ko": "CNC 가공", "ja": "マシニング加工"},
    "jig_fixture": {"en": "jigs and fixtures", "ko": "지그", "ja": "治具"},
    "sheet_metal": {"en": "sheet metal", "ko": "판금", "ja": "板金"},
    "precision": {"en": "precision machining", "ko": "정밀가공", "ja": "精密加工"},
    "edm": {"en": "wire EDM", "ko": "방전가공", "ja": "放電加工"},
    "packaging": {"en": "caps and containers", "ko": "용기", "ja": "容器"},
    "automotive": {"en": "automotive", "ko": "자동차", "ja": "自動車"},
    "bumper": {"en": "bumpers", "ko": "범퍼", "ja": "バンパー"},
    "interior_trim": {"en": "interior trim", "ko": "내장 부품", "ja": "内装部品"},
    "lamp": {"en": "headlamps", "ko": "헤드램프", "ja": "ランプ"},
    "electronics": {"en": "electronic connectors", "ko": "전자 커넥터", "ja": "電子コネクタ"},
    "mold_repair": {"en": "mould maintenance", "ko": "금형수리", "ja": "金型メンテナンス"},
    "medical": {"en": "medical devices", "ko": "의료기기", "ja": "医療機器"},
    "hot_runner": {"en": "hot runner systems", "ko": "핫러너", "ja": "ホットランナー"},
    "inspection": {"en": "inspection", "ko": "검사", "ja": "検査"},
    "ev_battery": {"en": "EV battery housings", "ko": "배터리 케이스", "ja": "バッテリーケース"},
    "home_appliance": {"en": "home appliances", "ko": "가전", "ja": "家電"},
    "optical": {"en": "optical lenses", "ko": "광학 렌즈", "ja": "光学レンズ"},
}
FILLER = {
    "en": ["we supply", "reliable delivery", "for global customers", "since 1995", "short lead times"],
    "ko": ["전문 기업", "고품질", "납기 준수", "해외 수출", "기술력"],
    "ja": ["を探しています", "海外調達", "品質重視", "短納期", "長期取引"],
}
POSITIVE = ("follow_up", "quotation", "deal")


@dataclass
class Company:
    ref: str
    kind: str
    hs: list
    text: dict  # language -> text
    languages: list
    true_codes: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    quality: float = 0.0
    latent: object = None


@dataclass
class World:
    variant: str
    exhibitions: list  # slugs, oldest first
    exhibitors: list
    buyers: list
    participations: dict  # slug -> (exhibitor indexes, buyer indexes)
    meetings: list  # (slug, buyer index, exhibitor index, status, outcome)

    @property
    def test_exhibition(self):
        return self.exhibitions[-1]


def _text(rng, concepts, lang, n_filler=2):
    parts = [PHRASES[c][lang] for c in concepts if c in PHRASES]
    parts += list(rng.choice(FILLER[lang], size=min(n_filler, len(FILLER[lang])), replace=False))
    rng.shuffle(parts)
    sep = "、" if lang == "ja" else ", "
    return sep.join(parts)


def _codes_for(rng, n, pool=None):
    pool = pool if pool is not None else list(range(len(CATALOGUE)))
    return [CATALOGUE[i] for i in rng.choice(pool, size=min(n, len(pool)), replace=False)]


def _fit(needs, products):
    """How well true needs meet true products: the best hierarchical match."""
    best = 0.0
    for a in needs:
        for b in products:
            if a == b:
                return 1.0
            if a[:4] == b[:4]:
                best = max(best, 0.45)
            elif a[:2] == b[:2]:
                best = max(best, 0.12)
    return best


def attending(rng, k, n_shows, e_join, b_join, p_exhibitor, p_buyer, everyone_last):
    """(exhibitor indexes, buyer indexes) at show k: those who have joined by then, each
    coming with its probability (exhibitors drawn first, then buyers); the last show
    everyone when `everyone_last`."""
    if everyone_last and k == n_shows - 1:
        return list(range(len(e_join))), list(range(len(b_join)))
    e_idx = [i for i in range(len(e_join)) if e_join[i] <= k and rng.random() < p_exhibitor]
    b_idx = [i for i in range(len(b_join)) if b_join[i] <= k and rng.random() < p_buyer]
    return e_idx, b_idx
