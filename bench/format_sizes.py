"""Size of every `check` report format for a batch of generated dossiers (issue 12 asks for them at 500).

    python bench/format_sizes.py [COUNT] [WORKDIR]

The batch is checked once; each format then renders the same results (as `renovcheck check --format F` would, with
`--as-of 2025-12-31`), and the UTF-8 size of each document is printed. Seeded, so the figures are reproducible.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from checker.check import batch  # noqa: E402
from checker.rulebook import rules as rulebook  # noqa: E402
from checker.cli.common import resolve_gate  # noqa: E402
from checker.check.pipeline import discover  # noqa: E402
from checker.report import BINARY_FORMATS, FORMATS, ReportContext, formatter  # noqa: E402
from checker.inputs.yamlload import Limits  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="renovcheck-sizes-"))
    generate.write(work, count)
    files = discover([str(work)])
    book = rulebook.load()
    gate = resolve_gate("zh", generate.LATEST_REPORT_DATE.isoformat(), None, None, None, book)
    started = time.perf_counter()
    problems: list = []  # none expected: the generator keeps report_date after every date it writes
    results = list(batch.iter_results(files, book, Limits(), None, gate, 1, problems=problems))
    print(f"{len(results)} of {count} dossiers checked in {time.perf_counter() - started:.1f} s; "
          f"{len(problems)} problems (refused dossiers left out)")
    for problem in problems[:3]:
        print("  ", problem.file, problem.key, problem.params)
    ctx = ReportContext(book, "zh", "shall")
    ctx.set_gate(gate)
    for fmt in FORMATS:
        started = time.perf_counter()
        document = formatter(fmt).render(results, ctx)
        size = len(document) if fmt in BINARY_FORMATS else len(document.encode("utf-8"))
        print(f"{fmt:20} {size:>12,} bytes  {size / 1048576:7.1f} MiB  ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
