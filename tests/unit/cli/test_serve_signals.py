"""``renovcheck serve`` stopped by SIGINT or SIGTERM: the server shuts down and the command exits 130 or 143
quietly, without the "no report written" line a report command ends with (a server writes no report)."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_server_without_a_report_line(tmp_path, signum, code):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", str(SAMPLES), "--port", str(port),
                             "--waivers", str(tmp_path / "waivers.yaml"), "--jobs", "1"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None and _listening(port), proc.stderr.read() if proc.stderr else ""
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    assert "http://127.0.0.1" in err  # the server's own line when it started
    assert "未写入报告" not in err and "no report" not in err and "Traceback" not in err, err
