"""``renovcheck recommend``: which property-service mode fits the community, why, and what if."""
from __future__ import annotations

import click

from checker.schema import validation as schema
from checker.cli.common import dossier_files, dossier_options, emit, guarded, lang_option, output_option
from checker.model.errors import InputError, Problem
from checker.rulebook import modebook as mode_book
from checker.rulebook.modebook import ModeBook
from checker.modes import whatif
from checker.modes.recommend import Recommender
from checker.report.recommend_report import render
from checker.report import recommend_portfolio as portfolio
from checker.report.recommend_portfolio import FORMATS as PORTFOLIO_FORMATS
from checker.inputs.yamlload import Document, Limits, load_file


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE",
              help="假设分析:在档案副本上改一个字段,或改一个参数(如 large_scale_households=800),然后重新推荐"
                   "(可重复;null 删除字段;档案文件不变)/ what-if: change a field on a copy, or a parameter "
                   "(e.g. large_scale_households=800), and show what changes (repeatable; null removes a field; "
                   "the file is never modified)")
@click.option("--compare", is_flag=True, help="四种模式并列对比 / the four modes side by side")
@click.option("--format", "fmt", type=click.Choice(PORTFOLIO_FORMATS), default="text", show_default=True,
              help="输出格式(csv、html 以及多个档案时为一览表)/ output format (csv, html and several dossiers: "
                   "the portfolio table)")
@lang_option
@output_option
@dossier_options
@guarded
def recommend(paths: tuple[str, ...], assignments: tuple[str, ...], compare: bool, fmt: str, lang: str,
              output: str | None, encoding: str | None, max_bytes: int, profile_file: str | None) -> None:
    """推荐物业服务模式 / Rank the four property-service modes for a community, with the reasoning.

    PATHS are dossier files or folders; several dossiers give one row each (a planner's portfolio). Modes:
    professional, community_trusteeship, social_organization, owner_self_management; each is recommended,
    permitted, possible or not advised. Exit codes: 0 done, 2 unreadable or invalid input or --set.
    """
    parsed = [whatif.parse(a) for a in assignments]
    files = dossier_files(paths, [output])
    docs = _load(files, Limits(max_bytes=max_bytes), encoding)
    book = mode_book.load()
    if profile_file:
        from checker.rulebook import profiles
        from checker.rulebook import rules as rb

        rules = rb.load()  # a profile is checked against the rules too (forces name rules)
        profile = profiles.load_profile(profile_file, rules)
        named = ({"name": profile.name, "sha256": profile.sha256}
                 if profile.changes(rules) or profile.name != "default" else None)
        book = book.with_parameters(profile.parameters, named)
    parameters = [a for a in parsed if a.path in book.registry.parameters]  # a name without dots: an assumption
    fields = [a for a in parsed if a.path not in book.registry.parameters]
    if len(docs) > 1 or fmt in ("csv", "html"):
        if fields:
            raise InputError([Problem(whatif.SOURCE, "recommend.several_need_no_fields", {"value": fields[0].text})])
        if compare:
            raise InputError([Problem(whatif.SOURCE, "recommend.compare_one")])
        if parameters:
            book = book.with_parameters(_checked(parameters, book))
        recommender = Recommender(book)
        recommendations = [recommender.recommend(schema.accepted(doc), doc.file) for doc in docs]
        table = portfolio.rows(recommendations, {doc.file: schema.accepted(doc) for doc in docs}, book, lang)
        emit(portfolio.render(fmt, table, book, lang), output, fmt)
        return
    doc = docs[0]
    recommender = Recommender(book)
    before = recommender.recommend(schema.accepted(doc), doc.file)
    comparison = None
    rec = before
    if parsed:
        changed, previous = whatif.apply(schema.accepted(doc), fields, doc.file)
        if parameters:
            previous += [(a, book.param_values()[a.path]) for a in parameters]
            recommender = Recommender(book.with_parameters(_checked(parameters, book)))
        rec = recommender.recommend(changed, doc.file)
        comparison = whatif.compare(before, rec, previous)
    emit(render(fmt, rec, recommender.book, lang, compare, comparison), output, fmt)


def _load(files: list[tuple[str, str]], limits: Limits, encoding: str | None) -> list[Document]:
    """Every dossier read and validated; the problems of all of them at once (exit 2), like ``check``."""
    docs, problems = [], []
    for path, shown in files:
        try:
            doc = load_file(path, limits, encoding, display=shown)
        except InputError as exc:
            problems += exc.problems
            continue
        found = schema.validate(doc)
        if found:
            problems += found
        else:
            docs.append(doc)
    if problems:
        raise InputError(problems)
    return docs


def _checked(assignments: list[whatif.Assignment], book: ModeBook) -> dict[str, object]:
    """Parameter values from --set, each within what a profile may set (the registry's type and bounds)."""
    problems = []
    for a in assignments:
        refused = book.registry.parameters[a.path].refusal(a.value)
        if refused is not None:
            problems.append(Problem(whatif.SOURCE, refused[0], refused[1]))
    if problems:
        raise InputError(problems)
    return {a.path: a.value for a in assignments}
