"""``renovcheck recommend``: which property-service mode fits the community, why, and what if."""
from __future__ import annotations

import click

from checker import schema
from checker.cli.common import (
    emit, encoding_option, guarded, lang_option, max_bytes_option, output_option, profile_option,
)
from checker.errors import InputError
from checker.modes import book as mode_book
from checker.modes import whatif
from checker.modes.recommend import Recommender
from checker.recommend_report import FORMATS, render
from checker.yamlload import Limits, load_file


@click.command()
@click.argument("dossier", type=click.Path(dir_okay=False))
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE",
              help="假设分析:在档案副本上改一个字段后重新推荐(可重复;null 删除字段;档案文件不变)/ "
                   "what-if: change a field on a copy and show what changes (repeatable; null removes; the file is never modified)")
@click.option("--compare", is_flag=True, help="四种模式并列对比 / the four modes side by side")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="输出格式 / output format")
@lang_option
@output_option
@encoding_option
@max_bytes_option
@profile_option
@guarded
def recommend(dossier, assignments, compare, fmt, lang, output, encoding, max_bytes, profile_file):
    """推荐物业服务模式 / Rank the four property-service modes for a community, with the reasoning.

    Modes: professional, community_trusteeship, social_organization, owner_self_management; each is
    recommended, possible or not advised. Exit codes: 0 done, 2 unreadable or invalid input or --set.
    """
    parsed = [whatif.parse(a) for a in assignments]
    doc = load_file(dossier, Limits(max_bytes=max_bytes), encoding)
    problems = schema.validate(doc)
    if problems:
        raise InputError(problems)
    book = mode_book.load()
    if profile_file:
        from checker import profiles
        from checker import rulebook as rb

        rules = rb.load()  # a profile is checked against the rules too (forces name rules)
        profile = profiles.load_profile(profile_file, rules)
        changed = profile.changes(rules)
        named = {"name": profile.name, "sha256": profile.sha256} if changed or profile.name != "default" else None
        book = book.with_parameters(profile.parameters, named)
    recommender = Recommender(book)
    before = recommender.recommend(doc.data, doc.file)
    comparison = None
    rec = before
    if parsed:
        changed, previous = whatif.apply(doc.data, parsed, doc.file)
        rec = recommender.recommend(changed, doc.file)
        comparison = whatif.compare(before, rec, previous)
    emit(render(fmt, rec, recommender.book, lang, compare, comparison), output, fmt)
