"""renovcheck benchmark: cold latency, batch throughput and peak memory, against parse-only and check-jsonschema.

    python bench/run.py                      # N = 100 and N = 10,000 (the large one takes a few minutes)
    python bench/run.py --sizes 100 --runs 5 # quicker

Every figure is a whole process, start to exit, as a user or a CI job runs it:

- cold: ``renovcheck check ONE.yaml``, median of ``--runs`` runs, with Python's bytecode cache warm (as after any
  ``pip install``; the environment's PYTHONDONTWRITEBYTECODE is lifted for the run, the cache goes to a temp dir);
- batch: ``renovcheck check DIR --jobs 1|2 --format json --output FILE``, dossiers per second;
- parse only (the floor): ``yaml.load(text, Loader=CSafeLoader)`` of the same files in one process;
- peer: ``check-jsonschema --schemafile schemas/dossier.schema.json FILES`` (schema only, no rules);
- peak memory: the largest sum of resident memory over the process and its children, sampled every 20 ms.

Dossiers are synthetic (bench/generate.py), about 10 KB each, seeded. Nothing here runs in the test suite.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))

import generate  # noqa: E402

BIN = Path(sys.executable).parent
TARGET_COLD_S = 0.3
PARSE_ONLY = """
import sys, yaml
for path in open(sys.argv[1], encoding="utf-8").read().split("\\n"):
    if path:
        with open(path, encoding="utf-8") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def _tree_rss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            with open(f"/proc/{current}/task/{current}/children") as handle:
                stack.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(command: list, env: dict | None = None) -> dict:
    """Wall seconds, exit code and peak memory (MB, the process tree summed) of one command."""
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.monotonic() - start
    done.set()
    sampler.join()
    return {"seconds": seconds, "code": proc.returncode, "peak_mb": peak[0] / 1024, "stderr": err.decode()[-500:]}


def bench_env(cache_dir: str) -> dict:
    env = dict(os.environ, PYTHONPYCACHEPREFIX=cache_dir)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cold_latency(one_file: Path, runs: int, env: dict) -> tuple[float, list]:
    command = [str(BIN / "renovcheck"), "check", str(one_file)]
    measure(command, env)  # fills the bytecode cache
    times = []
    for _ in range(runs):
        result = measure(command, env)
        assert result["code"] in (0, 1), result["stderr"]
        times.append(result["seconds"])
    return statistics.median(times), times


def jobs_supported() -> bool:
    help_text = subprocess.run([str(BIN / "renovcheck"), "check", "--help"], capture_output=True, text=True).stdout
    return "--jobs" in help_text


def batch(directory: Path, jobs: int, env: dict, out: Path) -> dict:
    command = [str(BIN / "renovcheck"), "check", str(directory), "--format", "json", "--output", str(out)]
    if jobs_supported():
        command += ["--jobs", str(jobs)]
    elif jobs != 1:
        return {}
    result = measure(command, env)
    assert result["code"] in (0, 1), result["stderr"]
    return result


def parse_only(files: list, env: dict, work: Path) -> dict:
    listing = work / "files.txt"
    listing.write_text("\n".join(map(str, files)), encoding="utf-8")
    result = measure([sys.executable, "-c", PARSE_ONLY, str(listing)], env)
    assert result["code"] == 0, result["stderr"]
    return result


def peer(files: list, env: dict) -> dict | None:
    exe = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if exe is None:
        return None
    result = measure([exe, "--schemafile", str(ROOT / "schemas" / "dossier.schema.json"), *map(str, files)], env)
    if result["code"] != 0:
        raise SystemExit(f"check-jsonschema did not accept the synthetic dossiers:\n{result['stderr']}")
    return result


def stage_breakdown(files: list, limit: int = 200) -> list:
    """Milliseconds per dossier of each step, in this process, over the first ``limit`` files (warm)."""
    from checker.rulebook import rules as rb
    from checker.schema import validation as schema
    from checker.lang.explain import explain
    from checker.check.pipeline import Checker
    from checker.report import ReportContext, formatter
    from checker.inputs.yamlload import load_file

    book = rb.load()
    checker = Checker(book)
    sample = [str(p) for p in files[:limit]]
    for path in sample[:10]:
        checker.check_file(path)
    clock = time.perf_counter
    results, spent = [], {}

    def timed(name, func, *args):
        start = clock()
        value = func(*args)
        spent[name] = spent.get(name, 0.0) + clock() - start
        return value

    for path in sample:
        doc = timed("load (yamlload)", load_file, path)
        timed("schema", schema.validate, doc)
        fact = timed("facts", checker.facts.build, doc.data, "0")
        outcomes = timed("engine (child process)", checker.engine.run, fact)
        start = clock()
        for rule in book.rules:
            explain(rule, outcomes[rule.id], doc.data, book.params_for(rule))
        spent["explain"] = spent.get("explain", 0.0) + clock() - start
        timed("advisories (recommend)", checker.advisories, doc.data)
        results.append(checker.check_document(doc))
    timed("report (json)", formatter("json").render, results, ReportContext(book))
    checker.engine.close()
    return [(name, 1000 * seconds / len(sample)) for name, seconds in spent.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000", help="comma-separated numbers of dossiers")
    parser.add_argument("--runs", type=int, default=11, help="runs for the cold-latency median")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the generated dossiers (bench/out/)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    out_root = HERE / "out"
    cache = tempfile.mkdtemp(prefix="renovcheck-bench-pycache-")
    env = bench_env(cache)
    print(f"renovcheck benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, seed {args.seed}")
    have_jobs = jobs_supported()
    if not have_jobs:
        print("note: this renovcheck has no --jobs option; only --jobs 1 is measured")
    rows, memory = [], {}
    try:
        for size in sizes:
            directory = out_root / f"n{size}"
            if directory.exists():
                shutil.rmtree(directory)
            files = generate.write(directory, size, args.seed)
            mean_kb = statistics.mean(p.stat().st_size for p in files) / 1024
            report = out_root / f"report-n{size}.json"
            floor = parse_only(files, env, out_root)
            results = {"parse only (CSafeLoader)": floor}
            for jobs in (1, 2):
                got = batch(directory, jobs, env, report)
                if got:
                    results[f"renovcheck --jobs {jobs}"] = got
            other = peer(files, env)
            if other:
                results["check-jsonschema (schema only)"] = other
            print(f"\nN = {size:,} dossiers, {mean_kb:.1f} KB on average")
            print(f"  {'':34s} {'seconds':>8s} {'dossiers/s':>11s} {'peak MB':>8s}")
            for name, r in results.items():
                print(f"  {name:34s} {r['seconds']:8.2f} {size / r['seconds']:11.0f} {r['peak_mb']:8.0f}")
            floor_rate = size / floor["seconds"]
            for jobs in (1, 2):
                name = f"renovcheck --jobs {jobs}"
                if name in results:
                    rate = size / results[name]["seconds"]
                    line = f"  ratio {name} / parse only: {rate / floor_rate:.2f} (target ≥ 0.50)"
                    if other:
                        line += f"; / check-jsonschema: {rate / (size / other['seconds']):.2f} (target > 1)"
                    print(line)
                    memory.setdefault(jobs, {})[size] = results[name]["peak_mb"]
            rows.append((size, results))
        if not shutil.which("check-jsonschema", path=str(BIN)) and not shutil.which("check-jsonschema"):
            print("\ncheck-jsonschema is not installed: pip install 'renovcheck[bench]' (or pip install -e '.[bench]')")
        try:
            stages = stage_breakdown(sorted((out_root / f"n{sizes[0]}").glob("*.yaml")))
        except Exception as exc:  # the library moved on: the figures above still stand
            print(f"\nper-step breakdown unavailable: {type(exc).__name__}: {exc}")
        else:
            print("\nwhere the time goes, per dossier, in one process (ms):")
            for name, ms in stages:
                print(f"  {name:28s} {ms:6.2f}")
            print(f"  {'total':28s} {sum(ms for _, ms in stages):6.2f}")
        median, times = cold_latency(out_root / f"n{sizes[0]}" / "dossier-00000.yaml", args.runs, env)
        print(f"\ncold `renovcheck check ONE.yaml`: median {median:.3f} s over {len(times)} runs "
              f"(min {min(times):.3f}, max {max(times):.3f}); target < {TARGET_COLD_S} s: "
              f"{'met' if median < TARGET_COLD_S else 'not met'}")
        if len(sizes) > 1:
            for jobs, by_size in sorted(memory.items()):
                small, large = by_size.get(min(sizes)), by_size.get(max(sizes))
                if small and large:
                    print(f"peak memory --jobs {jobs}: {small:.0f} MB at N = {min(sizes):,}, {large:.0f} MB at "
                          f"N = {max(sizes):,} (ratio {large / small:.2f}; target: does not grow with N)")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(out_root, ignore_errors=True)


if __name__ == "__main__":
    main()
