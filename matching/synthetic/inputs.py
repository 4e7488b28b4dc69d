"""A world as the engine's arrays (engine_inputs) or in the database (save_world)."""

import datetime

import numpy as np

from matching.engine.scoring import Companies, History

from .catalogue import POSITIVE, World


def _companies(items, ids):
    return Companies(
        ids=np.asarray(ids, dtype=np.int64),
        hs=[list(c.hs) for c in items],
        text=[" ".join(c.text.values()) for c in items],
        languages=[frozenset(c.languages) for c in items],
    )


def engine_inputs(world: World, test_slug=None):
    """Arrays for a temporal split: exhibitors and buyers of the test exhibition, history from
    the exhibitions before it, and the labels {buyer index: {exhibitor index: outcome}}.
    Company ids are indexes (exhibitors 0..n-1, buyers offset by 1,000,000)."""
    test_slug = test_slug or world.test_exhibition
    order = world.exhibitions.index(test_slug)
    past = set(world.exhibitions[:order])
    e_idx, b_idx = world.participations[test_slug]
    offset = 1_000_000
    exhibitors = _companies([world.exhibitors[i] for i in e_idx], e_idx)
    buyers = _companies([world.buyers[i] for i in b_idx], [offset + i for i in b_idx])
    hb, he, kinds, when = [], [], [], []
    labels = {}
    for slug, b, e, status, outcome in world.meetings:
        if slug in past:
            hb.append(offset + b)
            he.append(e)
            kinds.append(outcome or status)
            when.append(world.exhibitions.index(slug))
        elif slug == test_slug and outcome in POSITIVE:
            labels.setdefault(offset + b, {})[e] = outcome
    hs = {i: list(c.hs) for i, c in enumerate(world.exhibitors)}
    hs.update({offset + i: list(c.hs) for i, c in enumerate(world.buyers)})
    text = {i: " ".join(c.text.values()) for i, c in enumerate(world.exhibitors)}
    text.update({offset + i: " ".join(c.text.values()) for i, c in enumerate(world.buyers)})
    languages = {i: frozenset(c.languages) for i, c in enumerate(world.exhibitors)}
    languages.update({offset + i: frozenset(c.languages) for i, c in enumerate(world.buyers)})
    history = History(
        np.asarray(hb, dtype=np.int64), np.asarray(he, dtype=np.int64), kinds, hs, np.asarray(when), text, languages
    )
    return exhibitors, buyers, history, labels


def save_world(world: World, *, open_slug=None, first_year=2020, stdout=None):
    """Write the world into the database: cooperative, exhibitions (the last one open unless
    `open_slug` says otherwise), approved companies, participations, meeting history. Fast
    (bulk inserts); for an empty schema or fresh slugs and refs."""
    from companies.models import Company as CompanyModel
    from companies.models import Cooperative, HSCode
    from exhibitions.models import BuyerRegistration, Exhibition, ExhibitorApplication, Meeting

    coop, _ = Cooperative.objects.get_or_create(name_en="Korea Die Mold Cooperative")
    known = set(HSCode.objects.values_list("code", flat=True))
    exhibitions = {}
    for k, slug in enumerate(world.exhibitions):
        year = first_year + k
        is_open = slug == (open_slug or world.test_exhibition)
        exhibitions[slug], _ = Exhibition.objects.get_or_create(
            slug=slug,
            defaults={
                "cooperative": coop,
                "title_en": f"Synthetic mould show {year}",
                "city": "Tokyo",
                "country": "JP",
                "starts_on": datetime.date(year, 4, 14),
                "ends_on": datetime.date(year, 4, 16),
                "status": Exhibition.Status.OPEN if is_open else Exhibition.Status.CLOSED,
            },
        )

    def rows(items, kind):
        out = []
        for c in items:
            out.append(
                CompanyModel(
                    kind=kind,
                    ref=c.ref,
                    name_en=f"{'Exhibitor' if kind == 'exhibitor' else 'Buyer'} {c.ref}",
                    country="KR" if kind == "exhibitor" else "JP",
                    description_en=c.text.get("en", ""),
                    description_ko=c.text.get("ko", ""),
                    description_ja=c.text.get("ja", ""),
                    languages=" ".join(c.languages),
                    status=CompanyModel.Status.APPROVED,
                )
            )
        return out

    CompanyModel.objects.bulk_create(rows(world.exhibitors, "exhibitor"), batch_size=1000, ignore_conflicts=True)
    CompanyModel.objects.bulk_create(rows(world.buyers, "buyer"), batch_size=1000, ignore_conflicts=True)
    ids = dict(
        CompanyModel.objects.filter(ref__in=[c.ref for c in world.exhibitors + world.buyers]).values_list("ref", "id")
    )
    through = CompanyModel.hs_codes.through
    links = [
        through(company_id=ids[c.ref], hscode_id=code)
        for c in world.exhibitors + world.buyers
        for code in c.hs
        if code in known
    ]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    apps, regs = [], []
    for slug, (e_idx, b_idx) in world.participations.items():
        ex = exhibitions[slug]
        apps += [
            ExhibitorApplication(exhibition=ex, company_id=ids[world.exhibitors[i].ref], status="approved")
            for i in e_idx
        ]
        regs += [
            BuyerRegistration(
                exhibition=ex,
                company_id=ids[world.buyers[i].ref],
                status="approved",
                languages=" ".join(world.buyers[i].languages),
            )
            for i in b_idx
        ]
    ExhibitorApplication.objects.bulk_create(apps, batch_size=2000, ignore_conflicts=True)
    BuyerRegistration.objects.bulk_create(regs, batch_size=2000, ignore_conflicts=True)
    meetings = [
        Meeting(
            exhibition=exhibitions[slug],
            buyer_id=ids[world.buyers[b].ref],
            exhibitor_id=ids[world.exhibitors[e].ref],
            status=status,
            outcome=outcome,
        )
        for slug, b, e, status, outcome in world.meetings
        if slug != (open_slug or world.test_exhibition)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    if stdout:
        stdout.write(
            f"synthetic world {world.variant}: {len(world.exhibitors)} exhibitors, {len(world.buyers)} buyers, "
            f"{len(meetings)} past meetings\n"
        )
    return exhibitions
