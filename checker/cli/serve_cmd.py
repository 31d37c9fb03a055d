"""``renovcheck serve``: the workbench, a local web page over the library (checker/web/)."""
from __future__ import annotations

import os
import sys

import click

from checker.check import signals
from checker.cli.common import check_as_of, check_evidence_root, fail, guarded, profile_option
from checker.i18n.messages import text
from checker.text import inert

REVIEW_FOLDER = ".renovcheck-review"  # hidden: never read as dossiers (discover skips dot-folders)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址;非本机地址须配合 --token / address to listen on; any other than this machine needs --token")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口 / port")
@click.option("--token", help="访问令牌;random 表示随机生成 / access token; 'random' makes one")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="审查判断日(默认:今天)/ the judgement date (default: today)")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False),
              help=f"审查方的豁免清单,审查台写入此文件(默认:第一个目录下的 {REVIEW_FOLDER}/waivers.yaml)/ "
                   f"the reviewer's waiver list the desk writes (default: {REVIEW_FOLDER}/waivers.yaml in the first folder)")
@click.option("--evidence-root", type=click.Path(file_okay=False), help="证明材料根目录 / evidence root")
@profile_option
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=os.cpu_count() or 1, show_default=True,
              help="首次检查的并行进程数 / worker processes for the first check")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="消息语言 / language of messages")
@guarded
def serve(paths: tuple[str, ...], host: str, port: int, token: str | None, as_of: str | None,
          waivers_file: str | None, evidence_root: str | None, profile_file: str | None, jobs: int, lang: str) -> None:
    """审查工作台(本机网页)/ The workbench: a local web page for reviewers and planners.

    Serves the dossiers under PATH... (default: the current folder): portfolio, dossier reports, the reviewer's
    desk (writes the waiver list and a review record, never a dossier), what-if for planners and a new-dossier
    form. Binds 127.0.0.1; any other --host needs --token.
    """
    from checker.web import texts  # noqa: F401  (the workbench's messages; no optional dependency)

    try:
        import uvicorn

        from checker.web import security
        from checker.web.app import make_app
        from checker.web.workbench import Settings
    except ImportError as exc:
        fail(text("web.serve.missing_extra", lang, module=exc.name or str(exc)))
    from checker.check import review

    check_as_of(as_of, lang)
    check_evidence_root(evidence_root, lang)
    paths = paths or (".",)
    if token == "random":
        token = security.new_token()
    if security.needs_token(host) and not token:
        fail(text("web.serve.token_needed", lang, host=host))
    first = paths[0] if os.path.isdir(paths[0]) else os.path.dirname(os.path.abspath(paths[0]))
    settings = Settings(tuple(paths), waivers_file or os.path.join(first, REVIEW_FOLDER, "waivers.yaml"),
                        as_of or review.as_of(None).date, evidence_root, profile_file, jobs)
    hosts = {"127.0.0.1", "localhost", "::1", host}
    app = make_app(settings, hosts, token)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(inert.line(text("web.serve.listening", lang, url=url)), err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except signals.Stopped as stopped:
        # uvicorn shut down on SIGINT/SIGTERM and raised the signal again: a server has no report to speak of
        sys.exit(stopped.code)

