"""The workbench's speed for a portfolio of generated dossiers (issue 13 asks: 1,000 dossiers, the portfolio page in
under 15 s cold with parallel checks and under 1 s warm, a what-if answer in under 100 ms).

    python bench/web.py [COUNT] [JOBS]

Requests go through the whole web stack (Starlette's test client: middleware, routing, templates), as a browser's
would, minus the socket. Cold: the first load of ``/`` checks every dossier (JOBS worker processes, default the
number of CPUs). Warm: the next loads, nothing changed on disk (each file is still read and hashed). Then one file
is changed and the page loaded again: only that dossier is checked again. What-if: answers for one dossier, a
different number of households each time. Seeded dossiers (bench/generate.py), so the figures are comparable.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore", message=".*httpx.*")

import generate  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from checker.web.app import make_app  # noqa: E402
from checker.web.workbench import Settings  # noqa: E402


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else (os.cpu_count() or 1)
    work = Path(tempfile.mkdtemp(prefix="renovcheck-web-"))
    folder = work / "dossiers"
    paths = generate.write(folder, count)
    settings = Settings((str(folder),), str(work / "review" / "waivers.yaml"), generate.LATEST_REPORT_DATE.isoformat(),
                        jobs=jobs)
    client = TestClient(make_app(settings, {"testserver"}))
    print(f"{count} generated dossiers, {jobs} worker processes, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")

    cold, page = timed(lambda: client.get("/"))
    assert page.status_code == 200
    rows = page.text.count("<tr data-district=")
    print(f"portfolio cold (checks every dossier): {cold:.2f} s, {rows} rows, {len(page.content) / 1024:.0f} KiB")
    warm = [timed(lambda: client.get("/"))[0] for _ in range(5)]
    print(f"portfolio warm: median {statistics.median(warm):.3f} s, max {max(warm):.3f} s (5 loads)")
    changed = paths[count // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    again, _ = timed(lambda: client.get("/"))
    print(f"portfolio after one file changed (that one checked again): {again:.3f} s")
    key = f"0/{paths[0].name}"
    dossier, _ = timed(lambda: client.get(f"/d/{key}"))
    print(f"one dossier page (cached result): {dossier * 1000:.0f} ms")

    client.get(f"/whatif?base={key}")
    csrf = client.cookies.get("rc_csrf")
    answers = []
    for households in range(40, 2040, 100):
        took, answer = timed(lambda: client.post("/whatif/answer", data={
            "csrf": csrf, "base": key, "in.community.households": str(households)}))
        assert answer.status_code == 200 and 'id="headline"' in answer.text
        answers.append(took)
    print(f"what-if answer: median {statistics.median(answers) * 1000:.0f} ms, max {max(answers) * 1000:.0f} ms "
          f"({len(answers)} answers); load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
