"""The store at scale: load 10^5 recorded dossier-runs, then time the questions it answers.

    python bench/store.py                                  # 10,000 projects x 10 checks into a temporary SQLite file
    python bench/store.py --store postgresql://…/bench     # the same on a PostgreSQL database (must be empty)

The rows are synthetic but shaped like real runs: every rule of the rulebook has an outcome per dossier (about 1 in
8 a gap, a few with values), projects spread over Beijing's 16 districts, phases, completion dates, modes and
evaluation figures; each check date is one batch of every project, recorded as runs of 1,000 dossiers (as
``check --store`` writes them: one transaction per run). Then, each the best of --repeat runs after a first one:

- history: ``renovcheck history`` of one project (all its checks, gaps and changes), through queries.history;
- portfolio: every project's latest check at a date, all districts, and one district (queries.portfolio);
- fiscal: one row per project (queries.fiscal).

The target is under 1 s for history and portfolio on this machine. Nothing here runs in the test suite.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.rulebook import rules as rb  # noqa: E402
from checker.store import open_store, queries  # noqa: E402
from checker.store.record import dumps, evaluation_due  # noqa: E402

DISTRICTS = ("东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区", "通州区", "顺义区",
             "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区")
MODES = ("professional", "community_trusteeship", "social_organization", "owner_self_management")
RUN_SIZE = 1000
GAP_RATES = (0.03, 0.08, 0.12, 0.2)  # share of a dossier's rules that are fail or missing


def project(i: int, rng: random.Random) -> dict:
    end = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2400))
    return {"id": f"P{i:06d}", "name": f"小区 {i}", "district": DISTRICTS[i % len(DISTRICTS)],
            "end": end.isoformat(), "mode": rng.choice(MODES), "recommended": rng.choice(MODES),
            "gap_rate": rng.choice(GAP_RATES), "satisfaction": rng.uniform(0.6, 0.98)}


def outcome_pools(rules, rng: random.Random) -> dict:
    """For each gap rate, 50 ready outcome lists (every rule once) that dossiers share: generating 5.7 million rows
    one by one would time the generator, not the store."""
    pools = {}
    for rate in GAP_RATES:
        pools[rate] = []
        for _ in range(50):
            outcomes = []
            for rule in rules:
                roll = rng.random()
                outcome = ("fail" if roll < rate / 2 else "missing" if roll < rate
                           else "not_applicable" if roll > 0.93 else "pass")
                outcomes.append({"rule_id": rule.id, "dimension": rule.dimension, "force": rule.force,
                                 "outcome": outcome, "path": "x",
                                 "field_values": dumps({rule.id.lower(): round(roll, 3)}) if outcome == "fail" else None,
                                 "missing": dumps(["x"]) if outcome == "missing" else None})
            pools[rate].append(outcomes)
    return pools


def dossier(p: dict, seq: int, as_of: str, pools: dict, rng: random.Random) -> dict:
    completed = p["end"] <= as_of
    outcomes = rng.choice(pools[p["gap_rate"]])
    satisfaction = round(min(0.99, p["satisfaction"] + rng.uniform(-0.05, 0.05)), 3) if completed else None
    return {"seq": seq, "as_of": as_of, "file": f"{p['id']}.yaml", "file_sha256": f"{rng.getrandbits(256):064x}",
            "project_id": p["id"], "project_name": p["name"], "district": p["district"],
            "phase": "operating" if completed else "construction", "construction_end": p["end"],
            "evaluation_due": evaluation_due(p["end"], 365), "mode_declared": p["mode"],
            "mode_recommended": p["recommended"], "modes_fitting": dumps([p["recommended"]]),
            "satisfaction_rate": satisfaction, "facility_use_rate": round(rng.uniform(0.4, 0.95), 3) if completed else None,
            "evaluation": dumps({"by": "某研究院", "done": completed}), "outcomes": outcomes, "waivers": []}


def run_row(as_of: str) -> dict:
    return {"run_uuid": str(uuid.uuid4()), "recorded_at": f"{as_of}T12:00:00+00:00", "as_of": as_of,
            "as_of_source": "option", "tool_version": "bench", "rulebook_version": "bench",
            "rulebook_sha256": "0" * 64, "profile_name": "default", "profile_sha256": None, "parameters": "{}",
            "fail_on": "shall", "waivers_file": None, "waivers_sha256": None, "evidence_verified": False,
            "selection": None}


def load(store, projects: int, checks: int, rules, seed: int) -> int:
    rng = random.Random(seed)
    everyone = [project(i, rng) for i in range(projects)]
    pools = outcome_pools(rules, rng)
    dates = [(date(2024, 3, 31) + timedelta(days=91 * k)).isoformat() for k in range(checks)]
    written = 0
    for as_of in dates:
        for start in range(0, projects, RUN_SIZE):
            run = run_row(as_of)
            run["dossiers"] = [dossier(p, seq, as_of, pools, rng)
                               for seq, p in enumerate(everyone[start:start + RUN_SIZE])]
            store.record([run])
            written += len(run["dossiers"])
    return written


def timed(repeat: int, call):
    call()  # the first run warms the page cache and SQLAlchemy's statement cache
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--checks", type=int, default=10)
    parser.add_argument("--store", help="a store URL or file (default: a temporary SQLite file)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--timing-only", action="store_true",
                        help="time the queries on --store as it is (loaded by an earlier run with the same sizes)")
    args = parser.parse_args()
    folder = None
    target = args.store
    if target is None:
        folder = tempfile.mkdtemp(prefix="renovcheck-bench-store-")
        target = os.path.join(folder, "renovcheck.db")
    rules = rb.load().rules
    store = open_store(target, write=True)
    started = time.perf_counter()
    rows = 0 if args.timing_only else load(store, args.projects, args.checks, rules, args.seed)
    loading = time.perf_counter() - started
    if rows:
        print(f"loaded {rows:,} dossier-runs ({args.projects:,} projects x {args.checks} checks, "
          f"{rows * len(rules):,} outcomes) in {loading:.1f} s ({rows / loading:,.0f} dossier-runs/s)")
    if "://" not in target:
        size = sum(os.path.getsize(target + suffix) for suffix in ("", "-wal") if os.path.exists(target + suffix))
        print(f"store size: {size / 2**20:.0f} MiB (SQLite, WAL)")
    last = (date(2024, 3, 31) + timedelta(days=91 * (args.checks - 1))).isoformat()
    middle = (date(2024, 3, 31) + timedelta(days=91 * (args.checks // 2))).isoformat()
    figures = [
        ("history of one project", lambda: queries.history(store, f"P{args.projects // 2:06d}")),
        (f"portfolio, all districts, as of {last}", lambda: queries.portfolio(store, last)),
        (f"portfolio, all districts, as of {middle}", lambda: queries.portfolio(store, middle)),
        (f"portfolio, 通州区, as of {last}", lambda: queries.portfolio(store, last, "通州区")),
        (f"fiscal rows, all districts, as of {last}", lambda: queries.fiscal(store, last)),
    ]
    for name, call in figures:
        seconds, result = timed(args.repeat, call)
        size = len(result.points) if name.startswith("history") and result else (
            result.projects if hasattr(result, "projects") else len(result))
        verdict = "" if name.startswith("fiscal") else ("  (< 1 s)" if seconds < 1 else "  (OVER 1 s)")
        print(f"{name}: {seconds * 1000:.0f} ms  [{size:,} {'checks' if name.startswith('history') else 'projects'}]"
              f"{verdict}")
    store.close()
    if folder:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
