"""Raw material for the demo: Korean die-mould SMEs and Japanese buyers.

Names are made up from common name parts (any likeness to a real firm is chance); cities,
trades, HS codes and certifications are the real ones of the industry. `companies.demo`
combines these with a seeded random generator, so every run gives the same companies.
"""

COOPERATIVE = {
    "name_en": "Korea Die Mold Cooperative",
    "name_ko": "한국금형공업협동조합",
    "name_ja": "韓国金型工業協同組合",
    "website": "https://www.kdmc.example",
}

PASSWORD = "demo-pass-2027"  # noqa: S105 - the published demo password

# email: (role, full name, job title, preferred language)
LOGINS = {
    "staff@demo.fairlink.example": ("staff", "박지현", "전시사업팀 과장", "ko"),
    "admin@demo.fairlink.example": ("admin", "Fairlink Admin", "Administrator", "en"),
    "exhibitor@demo.fairlink.example": ("exhibitor", "김민준", "해외영업팀장", "ko"),
    "buyer@demo.fairlink.example": ("buyer", "佐藤 健一", "調達部 課長", "ja"),
}

# (English, Korean) city names, weighted by how many mould makers are there.
KOREAN_CITIES = [
    (("Incheon", "인천"), 6),
    (("Ansan", "안산"), 6),
    (("Siheung", "시흥"), 6),
    (("Bucheon", "부천"), 5),
    (("Hwaseong", "화성"), 4),
    (("Changwon", "창원"), 5),
    (("Gimhae", "김해"), 4),
    (("Daegu", "대구"), 4),
    (("Pyeongtaek", "평택"), 2),
    (("Busan", "부산"), 2),
    (("Ulsan", "울산"), 2),
    (("Gwangju", "광주"), 1),
]

# (English, Korean, Japanese katakana)
KOREAN_NAME_PARTS = [
    ("Daesung", "대성", "テソン"),
    ("Woojin", "우진", "ウジン"),
    ("Dongyang", "동양", "トンヤン"),
    ("Samwon", "삼원", "サムウォン"),
    ("Taekwang", "태광", "テグァン"),
    ("Shinyoung", "신영", "シニョン"),
    ("Geumgang", "금강", "クムガン"),
    ("Yuil", "유일", "ユイル"),
    ("Jinsung", "진성", "ジンソン"),
    ("Daewon", "대원", "テウォン"),
    ("Sungwoo", "성우", "ソンウ"),
    ("Hanbit", "한빛", "ハンビッ"),
    ("Dongjin", "동진", "トンジン"),
    ("Youngshin", "영신", "ヨンシン"),
    ("Seojin", "서진", "ソジン"),
    ("Jeil", "제일", "チェイル"),
    ("Mirae", "미래", "ミレ"),
    ("Hansol", "한솔", "ハンソル"),
    ("Jungwoo", "정우", "チョンウ"),
    ("Shinhwa", "신화", "シンファ"),
    ("Kyungwon", "경원", "キョンウォン"),
    ("Myungsung", "명성", "ミョンソン"),
    ("Saehan", "새한", "セハン"),
    ("Kwangjin", "광진", "クァンジン"),
    ("Bokwang", "보광", "ボグァン"),
    ("Sunjin", "선진", "ソンジン"),
    ("Youngjin", "영진", "ヨンジン"),
    ("Yujin", "유진", "ユジン"),
    ("Daejin", "대진", "テジン"),
    ("Sejin", "세진", "セジン"),
    ("Hyosung", "효성", "ヒョソン"),
    ("Cheonil", "천일", "チョニル"),
    ("Dongbang", "동방", "トンバン"),
    ("Gukje", "국제", "クッチェ"),
    ("Seyoung", "세영", "セヨン"),
    ("Taeyang", "태양", "テヤン"),
    ("Hanmi", "한미", "ハンミ"),
    ("Wonil", "원일", "ウォニル"),
    ("Sinil", "신일", "シニル"),
    ("Jinwoo", "진우", "ジヌ"),
]

# What a Korean exhibitor makes. weight: how common the trade is among the demo's exhibitors
# (injection moulds first). suffixes: (English, Korean, Japanese) name endings.
SPECIALTIES = {
    "injection_auto": {
        "weight": 16,
        "hs": ["848071"],
        "extra_hs": ["848020", "870829", "870899", "392630", "392690"],
        "suffixes": [
            ("Precision Mold", "정밀금형", "精密金型"),
            ("Moldtech", "몰드텍", "モールドテック"),
            ("Mold", "금형", "金型"),
        ],
        "keywords_en": ["injection mold", "automotive", "hot runner", "interior trim", "bumper"],
        "keywords_ko": ["사출금형", "자동차 부품", "핫러너"],
        "en": "Large and medium plastic injection moulds for automotive {part_en}, {cavities} cavities, "
        "tried out on our own presses up to {tonnage} t. Mould flow analysis and DFM from the first quote; "
        "T1 samples in {weeks} weeks.",
        "ko": "자동차 {part_ko}용 중대형 플라스틱 사출금형 전문 기업입니다. 최대 {tonnage}톤 자체 사출기로 시사출하며, "
        "금형 유동해석과 DFM을 견적 단계부터 제공합니다. T1 샘플 {weeks}주.",
        "parts": [
            ("interior trim", "내장 트림"),
            ("bumpers and grilles", "범퍼·그릴"),
            ("door panels", "도어 패널"),
            ("instrument panels", "인스트루먼트 패널"),
            ("lamp housings", "램프 하우징"),
        ],
    },
    "injection_electronics": {
        "weight": 8,
        "hs": ["848071"],
        "extra_hs": ["852990", "853890", "392690", "848020"],
        "suffixes": [
            ("Hitech", "하이텍", "ハイテック"),
            ("Precision", "정밀", "精密"),
            ("Electro Mold", "전자금형", "電子金型"),
        ],
        "keywords_en": ["precision mold", "connector", "micro molding", "thin wall", "electronics housing"],
        "keywords_ko": ["정밀금형", "커넥터", "전자부품"],
        "en": "Precision injection moulds for {part_en}, tolerances to ±{tolerance} mm, multi-cavity and insert "
        "moulding. Steel from Korea and Sweden, hardened cavities, in-house CMM inspection.",
        "ko": "{part_ko}용 정밀 사출금형을 제작합니다. 공차 ±{tolerance}mm, 다수 캐비티 및 인서트 성형 금형, "
        "자체 3차원 측정기 검사.",
        "parts": [
            ("connectors", "커넥터"),
            ("TV and display housings", "TV·디스플레이 하우징"),
            ("camera modules", "카메라 모듈"),
            ("switchgear parts", "배전 부품"),
        ],
    },
    "press": {
        "weight": 10,
        "hs": ["820730"],
        "extra_hs": ["846229", "870829", "820790", "848020"],
        "suffixes": [
            ("Press Die", "프레스금형", "プレス金型"),
            ("Precision", "정밀", "精密"),
            ("Industrial", "산업", "産業"),
        ],
        "keywords_en": ["press die", "progressive die", "stamping", "transfer die", "body panel"],
        "keywords_ko": ["프레스금형", "순차이송금형", "차체 부품"],
        "en": "Progressive and transfer press dies for {part_en}, including high-strength steel up to "
        "{strength} MPa. Simulation with AutoForm, try-out on {tonnage} t presses.",
        "ko": "{part_ko}용 순차이송·트랜스퍼 프레스금형을 설계·제작합니다. {strength}MPa급 고장력강판 대응, "
        "AutoForm 해석, {tonnage}톤 프레스 트라이아웃.",
        "parts": [
            ("car body panels", "차체 패널"),
            ("seat frames", "시트 프레임"),
            ("brackets and reinforcements", "브래킷·보강재"),
            ("battery cases", "배터리 케이스"),
        ],
    },
    "diecast": {
        "weight": 6,
        "hs": ["848041"],
        "extra_hs": ["848020", "870899", "870850", "848049"],
        "suffixes": [("Die Casting", "다이캐스팅", "ダイカスト"), ("Metal", "금속", "金属")],
        "keywords_en": ["die casting mold", "aluminium", "EV parts", "high pressure die casting"],
        "keywords_ko": ["다이캐스팅 금형", "알루미늄", "전기차 부품"],
        "en": "Aluminium high-pressure die-casting moulds for {part_en}, from {tonnage} t machines upward, "
        "with conformal cooling and vacuum venting.",
        "ko": "{part_ko}용 알루미늄 고압 다이캐스팅 금형 전문. {tonnage}톤급 이상, 컨포멀 냉각 및 진공 벤팅 적용.",
        "parts": [
            ("EV motor housings", "전기차 모터 하우징"),
            ("transmission cases", "변속기 케이스"),
            ("battery housings", "배터리 하우징"),
            ("steering parts", "조향 부품"),
        ],
    },
    "rubber_blow": {
        "weight": 4,
        "hs": ["848079"],
        "extra_hs": ["848071", "392690"],
        "suffixes": [("Rubber Mold", "고무금형", "ゴム金型"), ("Blow Mold", "블로우몰드", "ブロー金型")],
        "keywords_en": ["rubber mold", "blow mold", "compression mold", "seals"],
        "keywords_ko": ["고무금형", "블로우금형", "압축성형"],
        "en": "Compression, transfer and blow moulds for {part_en}; prototype moulds in {weeks} weeks.",
        "ko": "{part_ko}용 압축·트랜스퍼·블로우 금형을 제작합니다. 시작 금형 {weeks}주 납기.",
        "parts": [
            ("rubber seals and hoses", "고무 씰·호스"),
            ("fuel tanks and ducts", "연료탱크·덕트"),
            ("bottles and containers", "용기"),
        ],
    },
    "components": {
        "weight": 4,
        "hs": ["848020"],
        "extra_hs": ["820790", "820730"],
        "suffixes": [("Mold Parts", "금형부품", "金型部品"), ("Tooling", "툴링", "ツーリング")],
        "keywords_en": ["mold base", "ejector pin", "guide post", "standard parts", "cutting tools"],
        "keywords_ko": ["몰드베이스", "이젝터핀", "금형 표준부품"],
        "en": "Mould bases and standard components ({part_en}) made to order or from stock, shipped within "
        "{weeks} weeks.",
        "ko": "몰드베이스와 금형 표준부품({part_ko})을 주문 제작 또는 재고로 공급합니다. {weeks}주 내 출하.",
        "parts": [
            ("ejector pins, guide posts, bushings", "이젝터핀·가이드포스트·부싱"),
            ("hot runner plates", "핫러너 플레이트"),
            ("inserts and cores", "인서트·코어"),
        ],
    },
    "machinery": {
        "weight": 3,
        "hs": ["847710"],
        "extra_hs": ["846229", "848020"],
        "suffixes": [("Machinery", "기계", "機械"), ("Automation", "오토메이션", "オートメーション")],
        "keywords_en": ["injection molding machine", "automation", "robot", "press brake"],
        "keywords_ko": ["사출성형기", "자동화", "취출로봇"],
        "en": "{part_en} for mould shops and moulders, installed and serviced in Korea and Japan.",
        "ko": "금형·사출 업체를 위한 {part_ko}. 한국과 일본에서 설치 및 A/S.",
        "parts": [
            ("Injection-moulding machines from 50 to 850 t", "50~850톤 사출성형기"),
            ("Take-out robots and mould change systems", "취출로봇 및 금형 교환 장치"),
            ("Servo press brakes", "서보 프레스 브레이크"),
        ],
    },
    "plastic_parts": {
        "weight": 4,
        "hs": ["392690", "848071"],
        "extra_hs": ["392630", "870829", "853890"],
        "suffixes": [("Industries", "산업", "インダストリーズ"), ("Polytech", "폴리텍", "ポリテック")],
        "keywords_en": ["injection molding", "plastic parts", "assembly", "painting"],
        "keywords_ko": ["사출성형", "플라스틱 부품", "도장·조립"],
        "en": "Moulds and moulded parts in one place: we build the mould and mould {part_en} in series, with "
        "painting and assembly.",
        "ko": "금형 제작부터 {part_ko} 양산 사출, 도장과 조립까지 한 곳에서 합니다.",
        "parts": [
            ("interior and exterior car parts", "자동차 내외장 부품"),
            ("appliance housings", "가전 하우징"),
            ("electrical boxes", "전기 박스"),
        ],
    },
}

CERTIFICATIONS = ["ISO 9001", "IATF 16949", "ISO 14001", "ISO 45001"]

# Japanese buyers: (English, Japanese) cities, weighted.
JAPANESE_CITIES = [
    (("Nagoya", "名古屋"), 8),
    (("Toyota", "豊田"), 6),
    (("Kariya", "刈谷"), 4),
    (("Anjo", "安城"), 2),
    (("Okazaki", "岡崎"), 2),
    (("Hamamatsu", "浜松"), 6),
    (("Kosai", "湖西"), 1),
    (("Osaka", "大阪"), 5),
    (("Higashiosaka", "東大阪"), 3),
    (("Tokyo", "東京"), 5),
    (("Saitama", "さいたま"), 3),
    (("Kawagoe", "川越"), 2),
    (("Yokohama", "横浜"), 3),
    (("Kawasaki", "川崎"), 2),
    (("Shizuoka", "静岡"), 2),
    (("Hiroshima", "広島"), 2),
    (("Kitakyushu", "北九州"), 2),
]

# (English, Japanese)
JAPANESE_NAME_PARTS = [
    ("Chubu", "中部"),
    ("Mikawa", "三河"),
    ("Enshu", "遠州"),
    ("Owari", "尾張"),
    ("Toyohashi", "豊橋"),
    ("Kansai", "関西"),
    ("Musashi", "武蔵"),
    ("Sagami", "相模"),
    ("Shinshu", "信州"),
    ("Hokuriku", "北陸"),
    ("Setouchi", "瀬戸内"),
    ("Kyushu", "九州"),
    ("Keihin", "京浜"),
    ("Hanshin", "阪神"),
    ("Harima", "播磨"),
    ("Yamato", "大和"),
    ("Fuji", "富士"),
    ("Nisshin", "日進"),
    ("Heiwa", "平和"),
    ("Shinwa", "新和"),
    ("Kyowa", "協和"),
    ("Taiyo", "太陽"),
    ("Meiwa", "明和"),
    ("Hikari", "光"),
    ("Asahi", "旭"),
    ("Sanko", "三光"),
    ("Daiichi", "第一"),
    ("Tenryu", "天竜"),
    ("Kiso", "木曽"),
    ("Nagara", "長良"),
    ("Yahagi", "矢作"),
    ("Chita", "知多"),
    ("Omi", "近江"),
    ("Tama", "多摩"),
    ("Joban", "常磐"),
    ("Izumi", "和泉"),
    ("Kii", "紀伊"),
    ("Sanyo", "山陽"),
    ("Aso", "阿蘇"),
    ("Kanto", "関東"),
]

BUYER_SECTORS = {
    "auto_interior": {
        "weight": 16,
        "hs": ["848071", "3926"],
        "extra_hs": ["392630", "848020", "870829"],
        "suffixes": [("Auto Interior", "オートインテリア"), ("Kasei", "化成"), ("Jushi Kogyo", "樹脂工業")],
        "keywords": ["射出成形金型", "内装部品", "injection mold", "interior trim"],
        "certifications": ["IATF 16949", "ISO 14001"],
        "ja": "{city_ja}の自動車内装・外装部品メーカー（{tier}）。{part_ja}用の大型射出成形金型を、品質とコストの両面から"
        "韓国での調達を検討しています。",
        "en": "Tier {tier_n} supplier of automotive interior and exterior plastic parts; sourcing large injection "
        "moulds for {part_en}.",
        "parts": [
            ("instrument panels", "インパネ"),
            ("door trims", "ドアトリム"),
            ("bumpers", "バンパー"),
            ("console boxes", "コンソールボックス"),
        ],
    },
    "auto_stamping": {
        "weight": 12,
        "hs": ["820730", "8708"],
        "extra_hs": ["870829", "846229", "848020"],
        "suffixes": [("Press Kogyo", "プレス工業"), ("Shatai", "車体"), ("Kinzoku", "金属")],
        "keywords": ["プレス金型", "順送金型", "press die", "stamping"],
        "certifications": ["IATF 16949"],
        "ja": "{city_ja}のプレス部品メーカー（{tier}）。{part_ja}の順送・トランスファー金型の新規調達先を探しています。"
        "ハイテン材対応が必須です。",
        "en": "Stamping supplier ({tier_en}); looking for progressive and transfer dies for {part_en}.",
        "parts": [
            ("body panels", "ボディパネル"),
            ("seat frames", "シートフレーム"),
            ("EV battery cases", "EV電池ケース"),
        ],
    },
    "die_casting": {
        "weight": 6,
        "hs": ["848041"],
        "extra_hs": ["870899", "870850", "848049"],
        "suffixes": [("Light Alloy", "軽合金"), ("Diecast", "ダイカスト")],
        "keywords": ["ダイカスト金型", "アルミ", "die casting", "EV"],
        "certifications": ["IATF 16949", "ISO 14001"],
        "ja": "{city_ja}のアルミダイカストメーカー。{part_ja}向けダイカスト金型の海外調達を拡大中です。",
        "en": "Aluminium die caster; expanding overseas sourcing of die-casting moulds for {part_en}.",
        "parts": [
            ("EV motor housings", "EVモーターハウジング"),
            ("transmission cases", "ミッションケース"),
            ("outboard engine parts", "船外機部品"),
        ],
    },
    "electronics": {
        "weight": 10,
        "hs": ["848071", "8529", "8538"],
        "extra_hs": ["852990", "853890", "392690"],
        "suffixes": [("Denshi", "電子"), ("Denki", "電機"), ("Seiki", "精機")],
        "keywords": ["精密金型", "コネクタ", "precision mold", "connector"],
        "certifications": ["ISO 9001", "ISO 14001"],
        "ja": "{city_ja}の電子部品メーカー。{part_ja}用の精密射出成形金型について、短納期で対応できる韓国の金型メーカーを"
        "探しています。",
        "en": "Electronics parts maker; sourcing precision injection moulds for {part_en} with short lead times.",
        "parts": [
            ("connectors", "コネクタ"),
            ("display housings", "ディスプレイ筐体"),
            ("relay and switch parts", "リレー・スイッチ部品"),
        ],
    },
    "appliances": {
        "weight": 8,
        "hs": ["848071", "392690"],
        "extra_hs": ["848079", "851690", "848020"],
        "suffixes": [("Hometech", "ホームテック"), ("Kaden Buhin", "家電部品"), ("Seikei", "成形")],
        "keywords": ["射出成形金型", "家電", "injection mold", "appliance housing"],
        "certifications": ["ISO 9001"],
        "ja": "{city_ja}の家電部品成形メーカー。{part_ja}の金型を、国内より短い納期と競争力ある価格で調達したいと考えています。",
        "en": "Moulder of appliance parts; sourcing moulds for {part_en}.",
        "parts": [
            ("air-conditioner panels", "エアコンパネル"),
            ("washing machine tubs", "洗濯槽"),
            ("rice cooker housings", "炊飯器筐体"),
        ],
    },
    "motorcycle_marine": {
        "weight": 4,
        "hs": ["8480", "8708"],
        "extra_hs": ["848041", "820730", "870899"],
        "suffixes": [("Giken", "技研"), ("Seiko", "精工")],
        "keywords": ["金型", "二輪部品", "mold", "motorcycle parts"],
        "certifications": ["ISO 9001"],
        "ja": "{city_ja}の二輪・マリン部品メーカー。{part_ja}の金型と部品の調達先を広げています。",
        "en": "Motorcycle and marine parts maker; widening the sourcing of moulds and parts for {part_en}.",
        "parts": [("motorcycle covers", "二輪カウル"), ("outboard engine covers", "船外機カバー")],
    },
}
