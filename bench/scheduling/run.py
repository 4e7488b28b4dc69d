"""Schedule a generated exhibition with the engine, check it, and print the figures.

    /work/venv/bin/python bench/scheduling/generate.py large --seed 1 -o /tmp/large-1.json
    /work/venv/bin/python bench/scheduling/run.py /tmp/large-1.json --seconds 20 [--workers 2] [--out schedule.jsonl]

Builds an engine Instance from the exhibition-data/2 file with a small adapter (the app has
its own loader from the database), solves, writes the schedule as `export_schedule` JSON
Lines (accepted meetings from the file with their status, new ones as `draft`), runs the
independent checker on it, and prints one JSON line: value, bound, value/bound, the greedy
start's value, a first-come baseline's value (wishes placed in file order, each at the first
free slot), seconds, peak memory (ru_maxrss) and violations. Run it from the repository root.
"""

import argparse
import datetime
import json
import resource
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check import check, slot_starts  # noqa: E402

from exhibitions.scheduling import engine  # noqa: E402
from exhibitions.scheduling.engine import Fixed, Instance, solve  # noqa: E402
from exhibitions.scheduling.engine.greedy import first_come  # noqa: E402
from exhibitions.scheduling.engine.prepare import prepare  # noqa: E402

WEIGHT = {"must": 3, "want": 1}


class Adapter:
    """exhibition-data/2 -> Instance, and placements back to export_schedule lines."""

    def __init__(self, data: dict, slug: str | None = None):
        exhibitions = [x for x in data["exhibitions"] if "meetings" in x and (slug is None or x["slug"] == slug)]
        self.exhibition = x = exhibitions[0]
        self.slug = x["slug"]
        self.zone = ZoneInfo(x.get("timezone", "UTC"))
        starts = slot_starts(x)
        self.slots = sorted(starts)
        self.length = datetime.timedelta(minutes=x["meetings"]["slot_minutes"])
        dates = sorted({starts[s] for s in self.slots})
        slot_day = np.array([dates.index(starts[s]) for s in self.slots])
        first_of_day = {}
        index_in_day = []
        for s in self.slots:
            first = first_of_day.setdefault(starts[s], s)
            index_in_day.append(int((s - first) / self.length))
        companies = {c["ref"]: c for c in data["companies"]}
        parts = [p for p in data["participations"] if p["exhibition"] == self.slug]
        self.buyers = [p["company"] for p in parts if companies[p["company"]]["role"] == "buyer"]
        self.exhibitors = [p["company"] for p in parts if companies[p["company"]]["role"] == "exhibitor"]
        part = {p["company"]: p for p in parts}
        self.booth = {e: part[e].get("booth") for e in self.exhibitors}
        buyer_index = {b: i for i, b in enumerate(self.buyers)}
        exhibitor_index = {e: i for i, e in enumerate(self.exhibitors)}
        slot_dates = [starts[s] for s in self.slots]
        buyer_available = np.array(
            [[not part[b].get("visit_days") or d in part[b]["visit_days"] for d in slot_dates] for b in self.buyers],
            dtype=bool,
        ).reshape(len(self.buyers), len(self.slots))
        pool = [i for i in data.get("interpreters", []) if i["exhibition"] == self.slug]
        self.interpreters = [i["ref"] for i in pool]
        interpreter_available = np.array(
            [[not i.get("days") or d in i["days"] for d in slot_dates] for i in pool], dtype=bool
        ).reshape(len(pool), len(self.slots))

        def languages(ref):
            return set(companies[ref].get("languages", [])) | set(part[ref].get("languages", []))

        weight, forbidden = {}, set()
        for w in data.get("wishes", []):
            if w["exhibition"] != self.slug:
                continue
            key = (w["buyer"], w["exhibitor"])
            if w["priority"] == "no":
                forbidden.add(key)
            else:
                weight[key] = weight.get(key, 0) + WEIGHT[w["priority"]]
        self.pairs = [key for key in weight if key not in forbidden]
        self.wish_order = self.pairs  # file order: first wish first
        pair_interpreters = []
        for b, e in self.pairs:
            if languages(b) & languages(e):
                pair_interpreters.append(None)
            else:
                pair_interpreters.append(
                    np.array(
                        [
                            n
                            for n, i in enumerate(pool)
                            if set(i["languages"]) & languages(b) and set(i["languages"]) & languages(e)
                        ],
                        dtype=np.int64,
                    )
                )
        pair_index = {key: n for n, key in enumerate(self.pairs)}
        slot_index = {s: n for n, s in enumerate(self.slots)}
        interpreter_index = {ref: n for n, ref in enumerate(self.interpreters)}
        self.accepted = [
            m
            for m in data.get("meetings", [])
            if m["exhibition"] == self.slug and m["status"] == "accepted" and m.get("starts_at")
        ]
        fixed = []
        for m in self.accepted:
            start = datetime.datetime.fromisoformat(m["starts_at"]).astimezone(self.zone)
            place = m.get("place")
            on_table = place is not None and place.startswith("table-")
            fixed.append(
                Fixed(
                    buyer=buyer_index[m["buyer"]],
                    exhibitor=exhibitor_index[m["exhibitor"]],
                    slot=slot_index[start],
                    place="table" if on_table else "booth",
                    table=int(place[len("table-") :]) if on_table else None,
                    interpreter=interpreter_index.get(m.get("interpreter")),
                    pair=pair_index.get((m["buyer"], m["exhibitor"])),
                )
            )
        self.instance = Instance(
            slot_day=slot_day,
            slot_index_in_day=np.array(index_in_day),
            n_tables=int(x["meetings"].get("tables", 0)),
            buyer_available=buyer_available,
            exhibitor_available=np.ones((len(self.exhibitors), len(self.slots)), dtype=bool),
            exhibitor_capacity=np.array([part[e].get("parallel_meetings", 1) for e in self.exhibitors]),
            exhibitor_has_booth=np.array([bool(self.booth[e]) for e in self.exhibitors]),
            interpreter_available=interpreter_available,
            pair_buyer=np.array([buyer_index[b] for b, _ in self.pairs], dtype=np.int64),
            pair_exhibitor=np.array([exhibitor_index[e] for _, e in self.pairs], dtype=np.int64),
            pair_weight=np.array([weight[key] for key in self.pairs], dtype=np.int64),
            pair_interpreters=pair_interpreters,
            fixed=fixed,
        )

    def lines(self, placements) -> list:
        out = [
            {
                k: m.get(k)
                for k in ("exhibition", "buyer", "exhibitor", "starts_at", "ends_at", "place", "interpreter", "status")
            }
            for m in self.accepted
        ]
        for pl in placements:
            b, e = self.pairs[pl.pair]
            start = self.slots[pl.slot]
            out.append(
                {
                    "exhibition": self.slug,
                    "buyer": b,
                    "exhibitor": e,
                    "starts_at": start.isoformat(),
                    "ends_at": (start + self.length).isoformat(),
                    "place": self.booth[e] if pl.place == "booth" else f"table-{pl.table}",
                    "interpreter": None if pl.interpreter is None else self.interpreters[pl.interpreter],
                    "status": "draft",
                }
            )
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="where to write the schedule (JSON Lines)")
    parser.add_argument(
        "--no-lp-rounding", action="store_true", help="start CP-SAT from the plain greedy (to measure CP-SAT alone)"
    )
    args = parser.parse_args()
    if args.no_lp_rounding:
        engine.ROUND_LP = False
    with open(args.data, encoding="utf-8") as f:
        data = json.load(f)
    adapter = Adapter(data)
    instance = adapter.instance
    started = time.monotonic()
    solution = solve(instance, seconds=args.seconds, workers=args.workers, seed=args.seed)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    baseline = first_come(prepare(instance), range(len(adapter.pairs))).value
    lines = adapter.lines(solution.placements)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    summary, violations = check(data, lines, adapter.slug)
    for v in violations[:20]:
        print(v, file=sys.stderr)
    st = solution.stats
    print(
        json.dumps(
            {
                "file": Path(args.data).name,
                "pairs": len(adapter.pairs),
                "slots": len(adapter.slots),
                "value": solution.value,
                "checker_value": summary["value"],
                "bound": solution.upper_bound,
                "lp_bound": st.get("lp_bound"),
                "ratio": round(solution.value / solution.upper_bound, 5) if solution.upper_bound else 1.0,
                "greedy": solution.greedy_value,
                "first_come": baseline,
                "seconds": round(seconds, 2),
                "limit": args.seconds,
                "peak_mb": round(peak),
                "violations": len(violations),
                "method": st.get("method"),
                "status": st.get("cpsat_status"),
                "n_vars": st.get("n_vars"),
                "gaps": [st.get("gaps_before"), st.get("gaps_after")],
                "no_meeting": st.get("exhibitors_without_meeting"),
                "unplaced": len(solution.unplaced),
                "stages": {
                    k: st.get(k)
                    for k in (
                        "greedy_seconds",
                        "lp_seconds",
                        "start_seconds",
                        "cpsat_build_seconds",
                        "cpsat_seconds",
                        "finish_seconds",
                    )
                },
            }
        )
    )


if __name__ == "__main__":
    main()
