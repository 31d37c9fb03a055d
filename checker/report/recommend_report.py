"""Formats of ``renovcheck recommend``: text, markdown and JSON, in zh or en; ranking or side-by-side (--compare).

All three render the same Recommendation (checker/modes/recommend.py) and, for a what-if, the comparison
(checker/modes/whatif.py). The JSON document (format ``renovcheck-recommendation``) carries everything, in the
ranking order, whichever layout the text formats use. Output is deterministic: the same inputs give the same bytes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from checker import __version__
from checker.lang.explain import FALSE, TRUE, UNKNOWN
from checker.i18n.messages import pick, text
from checker.report import advisory_text, formatter
from checker.rulebook.modebook import MODE_IDS
from checker.text import inert
from checker.report.tables import markdown_head, markdown_row, wrapped
from checker.text.inert import controls, md
from checker.modes.explain import Chain, LeafStep, Step

if TYPE_CHECKING:
    from checker.modes.recommend import ModeResult, Recommendation
    from checker.modes.whatif import WhatIf
    from checker.rulebook.modebook import ModeBook

RATIO_SUFFIXES = ("_rate", "_share")  # dossier fields holding a ratio (0.92), shown as a percentage (92%)
_SYMBOL = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥", "in": "∈"}
_FLIP = {"eq": "ne", "ne": "eq", "lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt", "in": "not_in"}
_MARK = {TRUE: "✓", FALSE: "✗", UNKNOWN: "?"}


class View:
    """Wording for one language, over one mode book."""

    def __init__(self, book: ModeBook, lang: str) -> None:
        self.book = book
        self.lang = lang

    def t(self, key: str, **params: object) -> str:
        return text(key, self.lang, **params)

    # values and leaves -------------------------------------------------------------------------------
    def value(self, path: str, value: object) -> str:
        if isinstance(value, bool):
            return self.t("recommend.yes" if value else "recommend.no")
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{value * 100:g}%" if path.endswith(RATIO_SUFFIXES) else f"{value:g}"
        named = self.book.value_label(path, value, self.lang)
        return named if named is not None else controls(value)  # dossier text: shown, never acting

    def param_note(self, name: str) -> str:
        """Marks a bound that is our assumption; the parameter's name (for --set) is in the parameter list."""
        return self.t("recommend.param_assumption") if self.book.parameters[name].assumption else ""

    def plain(self, leaf: LeafStep) -> str:
        """A leaf that holds, as a planner says it: "户数 1,150 户(≥ 500,本工具的假设)", "基础条件较好"."""
        label = self.book.label(leaf.path, self.lang)
        numeric = isinstance(leaf.value, (int, float)) and not isinstance(leaf.value, bool)
        if leaf.kind != "compare" or leaf.state not in (TRUE, FALSE) or (leaf.state == FALSE and not numeric):
            return self.leaf(leaf)
        if isinstance(leaf.value, bool):
            return self.t("recommend.plain_flag", label=label, value=self.value(leaf.path, leaf.value))
        if isinstance(leaf.value, str):
            return self.t("recommend.plain_named", label=label, value=self.value(leaf.path, leaf.value))
        unit = (self.book.inputs.get(leaf.path) or {}).get("unit")
        shown = self.value(leaf.path, leaf.value) + (f" {pick(unit, self.lang)}" if unit else "")
        op = leaf.op if leaf.state == TRUE else _FLIP.get(leaf.op, leaf.op)  # "not below 70%" reads as "≥ 70%"
        bound = f"{_SYMBOL.get(op, op)} {self.value(leaf.path, leaf.bound)}"
        if leaf.param and self.book.parameters[leaf.param].assumption:
            return self.t("recommend.plain_assumed", label=label, value=shown, bound=bound)
        return self.t("recommend.plain_bound", label=label, value=shown, bound=bound)

    def answer(self, rec: Recommendation) -> str:
        """The recommendation in one sentence, before any trace."""
        if rec.top is None:
            missing = [self._path_label(p) for m in rec.modes for p in m.missing]
            missing = list(dict.fromkeys(missing))
            return self.t("recommend.answer_none_missing" if missing else "recommend.answer_none",
                          missing=self.t("recommend.list_separator").join(missing))
        top = rec.mode(rec.top)
        reasons = []
        for chain in top.because:
            if chain and chain[0].state in (TRUE, FALSE):
                reason = self.plain(leaf_of(chain))
                if reason not in reasons:
                    reasons.append(reason)
        key = "recommend.answer" if top.fit == "recommended" else "recommend.answer_permitted"
        return self.t(key, mode=self.mode_name(rec.top), reasons=self.t("recommend.list_separator").join(reasons))

    def leaf(self, leaf: LeafStep) -> str:
        label = self.book.label(leaf.path, self.lang)
        if leaf.kind == "presence":
            given = (leaf.op == "exists") == (leaf.state == TRUE)
            return self.t("recommend.given" if given else "recommend.not_given", label=label)
        if leaf.kind in ("done", "evidenced"):
            if leaf.state == TRUE:
                return self.t("recommend.measure_evidenced" if leaf.kind == "evidenced" else "recommend.measure_done",
                              label=label)
            if leaf.state == FALSE:
                return self.t("recommend.measure_not_done", label=label)
            if leaf.value is True:
                return self.t("recommend.measure_no_evidence", label=label)
            return self.t("recommend.measure_not_stated", label=label)
        if leaf.kind == "quantifier":
            return f"{label}: {self.t('recommend.state.' + leaf.state)}"
        if leaf.state == UNKNOWN:
            return self.t("recommend.unknown", label=label)
        if isinstance(leaf.value, bool) or (isinstance(leaf.value, str) and leaf.op in ("eq", "ne", "in", "matches")):
            return f"{label} = {self.value(leaf.path, leaf.value)}"
        op = leaf.op if leaf.state == TRUE else _FLIP.get(leaf.op, leaf.op)
        symbol = _SYMBOL.get(op, "∉" if op == "not_in" else op)
        unit = (self.book.inputs.get(leaf.path) or {}).get("unit")
        shown = self.value(leaf.path, leaf.value)
        left = f"{shown} {pick(unit, self.lang)}" if unit else f"{label} {shown}"
        bound = leaf.bound
        if isinstance(bound, dict):  # a date reference
            right = f"{self.book.label(bound['path'], self.lang)} {bound['days']:+d} d"
        elif isinstance(bound, list):
            right = "{" + ", ".join(self.value(leaf.path, b) for b in bound) + "}"
        else:
            right = self.value(leaf.path, bound)
        note = self.param_note(leaf.param) if leaf.param else ""
        return f"{left} {symbol} {right}{note}"

    def step(self, step: Step) -> str:
        if step.kind == "fact":
            fact = self.book.facts[step.name]
            if step.state == UNKNOWN:
                return self.t("recommend.fact_unknown", title=pick(fact.title, self.lang))
            return pick(fact.title if step.state == TRUE else fact.title_false, self.lang)
        kind, _, rest = step.name.partition(":")
        if kind == "mode":
            mode, _, which = rest.partition(":")
            if which == "recommended":  # the guide's support: 建议/鼓励 (recommended) or 可 (permitted)
                which = self.book.modes[mode].support
            return f"{mode}: {self.t(f'recommend.stmt.{which}.{step.state}')}"
        if kind == "obligation":
            title = pick(self.book.obligations[rest].title, self.lang)
            return f"{title}: {self.t('recommend.obligation.' + step.state)}"
        return step.name

    def chain(self, chain: Chain) -> str:
        return " → ".join([self.leaf(leaf_of(chain))] + [self.step(s) for s in steps_of(chain)])

    # modes -------------------------------------------------------------------------------------------
    def mode_name(self, mode_id: str) -> str:
        return pick(self.book.modes[mode_id].name, self.lang)

    def mode_title(self, mode_id: str) -> str:
        sep = "(" if self.lang == "zh" else " ("
        close = ")" if self.lang == "zh" else ")"
        return f"{mode_id}{sep}{self.mode_name(mode_id)}{close}"

    def fit(self, m: ModeResult) -> str:
        out = self.t("recommend.fit." + m.fit)
        if m.outlook:
            out += self.t("recommend.outlook." + m.outlook)
        return out

    def reading(self, mode_id: str) -> str:
        """Why "not advised" is ours: shown wherever a mode is not advised."""
        return self.t("recommend.reading", text=pick(self.book.modes[mode_id].not_advised_reading, self.lang))

    def force(self, mode_id: str) -> str:
        mode = self.book.modes[mode_id]
        return self.t("recommend.force", force=self.t("force." + mode.force), phrase=mode.citation["phrase"])

    def citation(self, cite: dict) -> str:
        out = self.t("recommend.citation", section=cite["section"], phrase=cite["phrase"])
        if cite.get("case"):
            out += self.t("recommend.case", case=cite["case"])
        return out

    def missing_lines(self, rec: Recommendation) -> list[str]:
        lines = []
        for m in rec.modes:
            for path in m.missing:
                lines.append(self.t("recommend.missing_fit", label=self._path_label(path), mode=m.id,
                                    outlook=self.t("recommend.outlook." + m.outlook) if m.outlook else ""))
            for path in m.rank_missing:
                lines.append(self.t("recommend.missing_rank", label=self._path_label(path), mode=m.id))
        return lines

    def _path_label(self, path: str) -> str:
        for suffix in (".evidence", ".done"):
            if path.endswith(suffix) and path[: -len(suffix)] in self.book.inputs:
                base = self.book.label(path[: -len(suffix)], self.lang)
                return self.t("recommend.evidence_of", label=base) if suffix == ".evidence" else base
        return self.book.label(path, self.lang)

    def decided_by(self, m: ModeResult) -> list[str]:
        """The derived facts (or dossier values) right under the mode's statements: the short form of why."""
        out = []
        for chain in m.because:
            below = chain[-2] if len(chain) > 1 else None
            part = self.step(cast(Step, below)) if below is not None and below.kind == "fact" else self.leaf(leaf_of(chain))
            if part not in out:
                out.append(part)
        return out


# --- text ---------------------------------------------------------------------------------------------

def compare_rows(rec: Recommendation, v: View) -> tuple[list[str], list[list[str]]]:
    by_id = {m.id: m for m in rec.modes}
    order = list(MODE_IDS)
    header = [v.t("recommend.col.aspect")] + order
    rows = [
        [v.t("recommend.row.name")] + [v.mode_name(mid) for mid in order],
        [v.t("recommend.row.rank")] + [str(by_id[mid].rank) for mid in order],
        [v.t("recommend.row.fit")] + [v.fit(by_id[mid]) for mid in order],
        [v.t("recommend.row.guide")] + [f"{v.t('force.' + v.book.modes[mid].force)} “{v.book.modes[mid].citation['phrase']}”"
                                         for mid in order],
        [v.t("recommend.row.service")] + [pick(v.book.modes[mid].service, v.lang) for mid in order],
        [v.t("recommend.row.because")] + ["; ".join(v.decided_by(by_id[mid])) for mid in order],
        [v.t("recommend.row.preference")] + [_preference_cell(by_id[mid], rec, v) for mid in order],
        [v.t("recommend.row.missing")] + [", ".join(v._path_label(p) for p in by_id[mid].missing + by_id[mid].rank_missing) or "—"
                                         for mid in order],
    ]
    obligation_ids = [oid for oid in v.book.obligations]
    for oid in obligation_ids:
        row = [pick(v.book.obligations[oid].title, v.lang)]
        for mid in order:
            found = next((o for o in by_id[mid].obligations if o.id == oid), None)
            row.append("—" if found is None else f"{_MARK[found.state]} {v.t('recommend.obligation.' + found.state)}")
        rows.append(row)
    return header, rows


def _ties(m: ModeResult, rec: Recommendation) -> bool:
    """Whether a preference can matter: another mode has the same fit, and it is not "not advised"."""
    return m.fit != "not_advised" and any(o.fit == m.fit and o.id != m.id for o in rec.modes)


def _preference_cell(m: ModeResult, rec: Recommendation, v: View) -> str:
    state = m.states["preferred"]
    if state is None or not _ties(m, rec):
        return "—"
    return v.t("recommend.stmt.preferred." + state)


def header_lines(rec: Recommendation, v: View) -> list[str]:
    out = [v.t("recommend.title", name=rec.project_name or rec.project_id, file=rec.file), v.answer(rec)]
    if v.book.profile:  # the parameters it changed are marked in the parameter list
        out.append(v.t("report.profile_sha", name=v.book.profile["name"], sha256=v.book.profile["sha256"]))
    if rec.top:
        headline = "recommend.headline" if rec.mode(rec.top).fit == "recommended" else "recommend.headline_permitted"
        out.append(v.t(headline, mode=v.mode_title(rec.top)))
    else:
        out.append(v.t("recommend.headline_none"))
    others = [m.id for m in rec.modes if m.fit in ("recommended", "permitted") and m.id != rec.top]
    if others:
        out.append(v.t("recommend.also_recommended", modes=", ".join(others)))
    if rec.declared:
        out.append(v.t("recommend.declared", mode=rec.declared, fit=v.fit(rec.mode(rec.declared))))
        advisory = rec.advisory()
        if advisory:
            out.append("  ! " + advisory_text(advisory, v.lang))
    return out


def _obligation_lines(rec: Recommendation, v: View, mode_id: str) -> list[str]:
    m = rec.mode(mode_id)
    out = [v.t("recommend.obligations_of", mode=v.mode_title(mode_id))]
    for o in m.obligations:
        ob = v.book.obligations[o.id]
        status = v.t("recommend.obligation." + o.state)
        detail = "; ".join(v.leaf(leaf_of(ch)) for ch in o.chains)
        out.append(f"  {_MARK[o.state]} {pick(ob.title, v.lang)}: {status} — {detail}")
        out.append(f"      {v.citation(ob.citation)}")
    return out


def _parameter_lines(rec: Recommendation, v: View) -> list[str]:
    out = [v.t("recommend.parameters")]
    for name in sorted(v.book.parameters):
        p = v.book.parameters[name]
        mark = v.t("recommend.assumption_mark") if p.assumption else ""
        value = rec.parameters[name]
        default = "" if value == p.default else v.t("recommend.default", value=p.default)
        out.append(f"  {name} = {value} {p.unit}{mark}{default}: {pick(p.description, v.lang)}")
    return out


def _ranking_lines(rec: Recommendation, v: View) -> list[str]:
    out = [v.t("recommend.ranking")]
    for m in rec.modes:
        out.append(f"  {m.rank}. {v.mode_title(m.id)}: {v.fit(m)}  [{v.force(m.id)}]")
        for chain in m.because:
            out.append(f"       {v.chain(chain)}")
        if m.fit == "not_advised":
            out.append("       " + v.reading(m.id))
        if m.preference and _ties(m, rec):
            mode = v.book.modes[m.id]
            out.append(f"       {v.t('recommend.preference_note', note=pick(mode.preference, v.lang))}")
            for chain in m.preference:
                out.append(f"       {v.chain(chain)}")
        mode = v.book.modes[m.id]
        out.append(f"       {v.t('recommend.basis')}: {v.citation(mode.citation)}; "
                   f"{v.t('recommend.service')}: {pick(mode.service, v.lang)}")
    return out


def whatif_lines(w: WhatIf, v: View) -> list[str]:
    out = [v.t("recommend.whatif_title")]
    for a, previous in w.assignments:
        before = v.t("recommend.absent") if previous is None else json.dumps(previous, ensure_ascii=False)
        after = v.t("recommend.removed") if a.value is None else json.dumps(a.value, ensure_ascii=False)
        out.append(f"  {a.path}: {before} → {after}")
    was, now = cast("Recommendation", w.before), cast("Recommendation", w.after)
    if was.top != now.top:
        out.append(v.t("recommend.whatif_top", before=was.top or "—", after=now.top or "—"))
    if w.changes:
        out.append(v.t("recommend.whatif_changes"))
        for c in w.changes:
            changed = now.mode(c.mode)
            out.append("  " + v.t("recommend.whatif_change", mode=c.mode, before=v.fit(was.mode(c.mode)),
                                  after=v.fit(changed), rank_before=c.rank_before, rank_after=c.rank_after))
            if not c.because:
                out.append("      " + v.t("recommend.whatif_rank_only"))
            for chain in c.because:
                out.append(f"      {v.chain(chain)}")
    else:
        out.append(v.t("recommend.whatif_nochange"))
    if w.facts:
        out.append(v.t("recommend.whatif_facts"))
        for fid, before, after in w.facts:
            out.append(f"  {v.step(Step('fact', fid, before))} → {v.step(Step('fact', fid, after))}")
    return out


def render_text(rec: Recommendation, ctx: RecommendContext) -> str:
    book, lang, compare, whatif = ctx.book, ctx.lang, ctx.compare, ctx.whatif
    v = View(book, lang)
    head = header_lines(rec, v)
    out = head[:1]
    if whatif is not None:
        out.append("")
        out += whatif_lines(whatif, v)
        out.append("")
    out += head[1:]
    out.append("")
    if compare:
        header, rows = compare_rows(rec, v)
        out += wrapped(header, rows, [16] + [26] * (len(header) - 1))
    else:
        out += _ranking_lines(rec, v)
        for mode_id in _obligation_modes(rec):
            out.append("")
            out += _obligation_lines(rec, v, mode_id)
    missing = v.missing_lines(rec)
    if missing:
        out.append("")
        out.append(v.t("recommend.missing"))
        out += ["  " + line for line in missing]
    out.append("")
    out += _parameter_lines(rec, v)
    out.append("")
    out.append(v.t("recommend.order"))
    return inert.lines("\n".join(out).rstrip("\n") + "\n")  # the same guarantees as check's text report


def _obligation_modes(rec: Recommendation) -> list[str]:
    modes = [rec.top] if rec.top else []
    if rec.declared and rec.declared not in modes:
        modes.append(rec.declared)
    return modes


# --- markdown -----------------------------------------------------------------------------------------

def render_markdown(rec: Recommendation, ctx: RecommendContext) -> str:
    book, lang, compare, whatif = ctx.book, ctx.lang, ctx.compare, ctx.whatif
    v = View(book, lang)
    head = header_lines(rec, v)
    out = [f"# {md(head[0])}", ""] + [f"- {md(line.strip())}" for line in head[1:]] + [""]
    if whatif is not None:
        lines = whatif_lines(whatif, v)
        out.append(f"## {md(lines[0])}")
        out.append("")
        for line in lines[1:]:
            indent = len(line) - len(line.lstrip(" "))
            if indent:
                out.append("  " * (indent // 4) + "- " + md(line.strip()))
            else:
                out += ["", f"**{md(line)}**", ""]
        out.append("")
    if compare:
        header, rows = compare_rows(rec, v)
        out += markdown_head([md(h) for h in header])
        out += [markdown_row([md(c) for c in row]) for row in rows]
        out.append("")
    else:
        out.append(f"## {v.t('recommend.ranking')}")
        out.append("")
        for m in rec.modes:
            out.append(f"{m.rank}. **{md(v.mode_title(m.id))}**: {md(v.fit(m))} — {md(v.force(m.id))}")
            for chain in m.because:
                out.append(f"    - {md(v.chain(chain))}")
            if m.fit == "not_advised":
                out.append(f"    - {md(v.reading(m.id))}")
            if m.preference and _ties(m, rec):
                out.append(f"    - {md(v.t('recommend.preference_note', note=pick(book.modes[m.id].preference, lang)))}")
                for chain in m.preference:
                    out.append(f"        - {md(v.chain(chain))}")
        out.append("")
        for mode_id in _obligation_modes(rec):
            lines = _obligation_lines(rec, v, mode_id)
            out.append(f"## {md(lines[0])}")
            out.append("")
            out += [f"- {md(line.strip())}" if not line.startswith("      ") else f"    - {md(line.strip())}"
                    for line in lines[1:]]
            out.append("")
    missing = v.missing_lines(rec)
    if missing:
        out.append(f"## {v.t('recommend.missing')}")
        out.append("")
        out += [f"- {md(line)}" for line in missing]
        out.append("")
    params = _parameter_lines(rec, v)
    out.append(f"## {params[0]}")
    out.append("")
    out += [f"- {md(line.strip())}" for line in params[1:]]
    out.append("")
    out.append(f"_{md(v.t('recommend.order'))}_")
    collapsed = [line for i, line in enumerate(out) if line or (i and out[i - 1])]
    return "\n".join(collapsed).rstrip("\n") + "\n"


# --- JSON ---------------------------------------------------------------------------------------------

def _leaf_dict(leaf: LeafStep, v: View) -> dict[str, object]:
    out = {"kind": "input", "path": leaf.path, "test": leaf.op, "value": leaf.value, "state": leaf.state}
    if leaf.kind == "compare":
        out["bound"] = leaf.bound
        if leaf.param:
            out["parameter"] = {"name": leaf.param, "assumption": v.book.parameters[leaf.param].assumption}
    if leaf.absent:
        out["absent"] = list(leaf.absent)
    return out


def _step_dict(step: Step) -> dict[str, object]:
    if step.kind == "fact":
        return {"kind": "fact", "fact": step.name, "state": step.state}
    kind, _, rest = step.name.partition(":")
    if kind == "mode":
        mode, _, which = rest.partition(":")
        return {"kind": "mode", "mode": mode, "statement": which, "state": step.state}
    return {"kind": kind, "id": rest, "state": step.state}


def chain_dict(chain: Chain, v: View) -> dict[str, object]:
    return {"steps": [_leaf_dict(leaf_of(chain), v)] + [_step_dict(s) for s in steps_of(chain)], "text": v.chain(chain)}


def leaf_of(chain: Chain) -> LeafStep:
    """Where a chain starts: the dossier value (modes/explain.py builds every chain bottom-up from one)."""
    return cast(LeafStep, chain[0])


def steps_of(chain: Chain) -> list[Step]:
    """The derived facts and the statement a chain passes through, above its leaf."""
    return cast(list[Step], list(chain[1:]))


def _mode_dict(m: ModeResult, v: View) -> dict[str, object]:
    mode = v.book.modes[m.id]
    return {
        "rank": m.rank,
        "mode": m.id,
        "name": v.mode_name(m.id),
        "fit": m.fit,
        "fits": m.fits,
        "not_advised_reading": pick(mode.not_advised_reading, v.lang) if m.fit == "not_advised" else None,
        "confirmed": m.confirmed,
        "outlook": m.outlook,
        "force": m.force,
        "citation": dict(mode.citation),
        "service": pick(mode.service, v.lang),
        "statements": dict(m.states),
        "because": [chain_dict(ch, v) for ch in m.because],
        "preference": {"note": pick(mode.preference, v.lang), "because": [chain_dict(ch, v) for ch in m.preference]}
        if m.states["preferred"] is not None else None,
        "missing": list(m.missing),
        "rank_missing": list(m.rank_missing),
        "obligations": [{"id": o.id, "title": pick(v.book.obligations[o.id].title, v.lang), "state": o.state,
                         "shown": o.state == TRUE, "missing": list(o.missing),
                         "citation": dict(v.book.obligations[o.id].citation),
                         "because": [chain_dict(ch, v) for ch in o.chains]} for o in m.obligations],
    }


def document(rec: Recommendation, book: ModeBook, lang: str = "zh", compare: bool = False,
             whatif: WhatIf | None = None) -> dict[str, object]:
    v = View(book, lang)
    advisory = rec.advisory()
    doc = {
        "format": "renovcheck-recommendation",
        "format_version": 1,
        "tool": {"name": "renovcheck", "version": __version__},
        "lang": lang,
        "layout": "compare" if compare else "ranking",
        "file": rec.file,
        "project": {"id": rec.project_id, "name": rec.project_name},
        "recommended": rec.top,
        "recommended_modes": rec.recommended,
        "fitting_modes": rec.fitting(),
        "declared": {"mode": rec.declared, "fit": rec.mode(rec.declared).fit} if rec.declared else None,
        "advisory": {"id": advisory.id, "declared": advisory.declared, "fit": advisory.fit,
                     "fitting": advisory.fitting, "path": advisory.path, "message": advisory_text(advisory, lang)}
        if advisory else None,
        "ranking": [_mode_dict(m, v) for m in rec.modes],
        "facts": {fid: {"state": state, "title": pick(book.facts[fid].title, lang),
                        "because": [chain_dict(ch, v) for ch in rec.fact_chains[fid]]}
                  for fid, state in rec.facts.items()},
        "inputs": {path: rec.inputs[path] for path in sorted(rec.inputs)},
        "missing": v.missing_lines(rec),
        "parameters": [{"name": name, "value": rec.parameters[name], "default": p.default, "unit": p.unit,
                        "assumption": p.assumption, "fact": p.owner, "description": pick(p.description, lang)}
                       for name, p in sorted(book.parameters.items())],
        "profile": dict(book.profile) if book.profile else None,
        "whatif": None,
    }
    if whatif is not None:
        was = cast("Recommendation", whatif.before)
        doc["whatif"] = {
            "set": [{"path": a.path, "value": a.value, "previous": prev} for a, prev in whatif.assignments],
            "before": [{"mode": m.id, "rank": m.rank, "fit": m.fit, "confirmed": m.confirmed} for m in was.modes],
            "recommended_before": was.top,
            "changes": [{"mode": c.mode, "fit": {"before": c.fit_before, "after": c.fit_after},
                         "rank": {"before": c.rank_before, "after": c.rank_after},
                         "because": [chain_dict(ch, v) for ch in c.because]} for c in whatif.changes],
            "facts": [{"fact": fid, "before": before, "after": after} for fid, before, after in whatif.facts],
        }
    return doc


def render_json(rec: Recommendation, ctx: RecommendContext) -> str:
    return json.dumps(document(rec, ctx.book, ctx.lang, ctx.compare, ctx.whatif), ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, rec: Recommendation, book: ModeBook, lang: str = "zh", compare: bool = False,
           whatif: WhatIf | None = None) -> str:
    out = formatter(fmt, "recommend").render(rec, RecommendContext(book, lang, compare, whatif))
    assert isinstance(out, str)  # every recommend format is text
    return out


@dataclass(frozen=True)
class RecommendContext:
    """What a recommendation is written for: the mode book, the reader's language, --compare and a what-if."""

    book: ModeBook
    lang: str = "zh"
    compare: bool = False
    whatif: WhatIf | None = None
