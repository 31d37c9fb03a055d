"""The workbook carries the judgement date, never the time it was written: same inputs, same bytes (xlsx too)."""
import io
import re
import zipfile

from checker.check.review import AsOf
from checker.report import ReportContext, formatter
from tests.conftest import SAMPLES


def test_every_stamp_in_the_workbook_is_the_judgement_date(rulebook, checker):
    result = checker.check_file(str(SAMPLES / "zaoyuan.json"), "zaoyuan.json")
    ctx = ReportContext(rulebook, "zh")
    ctx.as_of = AsOf("2025-12-31", "option")
    data = formatter("xlsx").render([result], ctx)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {item.date_time for item in archive.infolist()} == {(2025, 12, 31, 0, 0, 0)}
    stamps = re.findall(rb"\d{4}-\d\d-\d\dT[\d:]+Z", archive.read("docProps/core.xml"))
    assert stamps and set(stamps) == {b"2025-12-31T00:00:00Z"}
    assert formatter("xlsx").render([result], ctx) == data
