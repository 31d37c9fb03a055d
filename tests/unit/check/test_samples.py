"""The sample dossiers: valid, and between them every outcome."""
from tests.conftest import SAMPLES


def test_samples_give_every_outcome(checker):
    from checker.check.pipeline import discover

    outcomes = set()
    for path, display in discover([SAMPLES]):
        result = checker.check_file(path, display)
        outcomes |= {f.outcome for f in result.findings}
    assert outcomes == {"pass", "fail", "missing", "not_applicable", "not_taken"}


def test_samples_are_modelled_on_the_four_cases():
    names = " ".join(p.read_text(encoding="utf-8") for p in SAMPLES.iterdir())
    for case in ("玉桥南里", "古城南路", "六铺炕", "枣园"):
        assert case in names
