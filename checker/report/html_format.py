"""One self-contained HTML page for reviewers: charts per dimension, every finding with filters, zh and en.

No network and no external assets: the style and the script are inline, and a Content-Security-Policy allows
exactly those two (by hash) and nothing else, so even a mistake in escaping could not run injected script.
A dossier is untrusted input: every text taken from it (file names, project name, values, waiver reasons) is
HTML-escaped, and no dossier data is put inside the script. Both languages are in the page; ``--lang`` chooses
the one shown first and a button switches. The filters can be preset from the address:
``report.html#outcome=fail&force=shall&gaps=1`` (also ``dimension=``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from checker.model.findings import DossierResult, Finding

import base64
import hashlib
from dataclasses import replace

from checker.i18n.messages import text
from checker.report import (judged_at, advisories_of, DIMENSIONS, ReportContext, advisory_text, citation_text, evidence_note, finding_notes, is_failing, location_text,
                            profile_lines, uses_profile, waiver_note)
from checker.report.charts import Segment, segments
from checker.text.inert import html_text
from checker.report.summary import OUTCOMES, dimension_counts, table
from checker.schema.hints import field_name

Links = Callable[[DossierResult, Finding], str]  # HTML placed after a finding's title (the workbench's links)
FORCES = ("shall", "should", "may")
COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "missing": "#ef6c00", "waived": "#6a4c93", "not_applicable": "#9e9e9e", "not_taken": "#607d8b"}

STYLE = """
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#f6f7f9;--card:#fff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}
[hidden]{display:none!important}
html[data-lang="zh"] .en,html[data-lang="en"] .zh{display:none}
header{background:#23395d;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}
header .meta{color:#c9d4e8;font-size:13px}
header button{float:right;background:#fff;color:#23395d;border:0;border-radius:4px;padding:6px 12px;font-weight:600;cursor:pointer}
main{padding:18px 28px;max-width:1400px}
section{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:14px 18px;margin:0 0 16px}
h2{font-size:18px;margin:0 0 10px}
h3{font-size:15px;margin:14px 0 8px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:14px;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px;vertical-align:0}
.chart svg{display:block}
.filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:14px;align-items:center}
.filters label{font-size:13px;color:var(--muted)}
.filters select{margin-left:4px;padding:3px}
.finding{border-left:4px solid #ccc;padding:6px 10px;margin:6px 0;background:#fbfbfc}
.finding.o-pass{border-color:#2e7d32}.finding.o-fail{border-color:#c62828}.finding.o-missing{border-color:#ef6c00}
.finding.o-waived{border-color:#6a4c93}.finding.o-not_applicable{border-color:#9e9e9e}.finding.o-not_taken{border-color:#607d8b}
.finding .head{font-weight:600}
.badge{display:inline-block;border-radius:3px;padding:0 6px;margin-right:6px;color:#fff;font-size:12px;font-weight:600}
.b-pass{background:#2e7d32}.b-fail{background:#c62828}.b-missing{background:#ef6c00}.b-waived{background:#6a4c93}.b-not_applicable{background:#9e9e9e}.b-not_taken{background:#607d8b}
.gap{color:#c62828;font-size:12px;margin-left:6px}
.rid{font-family:ui-monospace,Menlo,Consolas,monospace;margin-right:6px;white-space:nowrap}
td.nw{white-space:nowrap}
.force{color:var(--muted);margin-right:6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 2px;font-size:13px}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;background:#eef1f6;padding:0 3px;border-radius:3px}
.note{color:var(--muted);font-size:13px}
a{color:#23395d}
footer{color:var(--muted);font-size:12px;padding:0 28px 24px}
.cover dl{grid-template-columns:10em 1fr;font-size:14px}
.cover .verdict{font-weight:700}
.sign{display:grid;grid-template-columns:1fr 1fr;gap:28px;margin-top:28px}
.sign div{border-bottom:1px solid var(--ink);padding-top:28px;font-size:13px;color:var(--muted)}
table.fixed{table-layout:fixed}
td.box{white-space:nowrap;font-size:12px}
col.c-req{width:14%}col.c-sum{width:22%}col.c-box{width:15%}col.c-note{width:12%}
@page{size:A4;margin:12mm 10mm}
@media print{
 body{background:#fff;font-size:10pt}
 header button,.filters,.none,.noprint{display:none!important}
 header{background:none;color:var(--ink);padding:0 0 8px;border-bottom:2px solid var(--ink)}
 header .meta{color:var(--muted)}
 main{padding:0;max-width:none}
 section{border:0;padding:0;margin:0 0 10px;border-radius:0}
 .dossier,#batch{break-before:page}
 .cover{break-after:page}
 .finding,tr,.sign{break-inside:avoid}
 thead{display:table-header-group}
 th{word-break:keep-all;overflow-wrap:normal;hyphens:none}
 td.chart svg{width:120px}
 #batch th,#batch td{font-size:9pt;padding:3px 4px}
 #batch td:nth-child(2){min-width:9em}
 #batch td:nth-child(1) code{word-break:break-all}
 .badge,.finding,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 html[data-lang="zh"] .en,html[data-lang="en"] .zh{display:none}
}
""".strip()

SCRIPT = """
(function(){
var root=document.documentElement;
function val(id){return document.getElementById(id).value;}
function apply(){
 var d=val('f-dimension'),fo=val('f-force'),o=val('f-outcome'),g=document.getElementById('f-gaps').checked,shown=0;
 var items=document.querySelectorAll('.finding');
 for(var i=0;i<items.length;i++){var el=items[i],s=el.dataset;
  var ok=(!d||s.dimension===d)&&(!fo||s.force===fo)&&(!o||s.outcome===o)&&(!g||s.gap==='1');
  el.hidden=!ok;if(ok){shown++;}}
 var secs=document.querySelectorAll('.dossier');
 for(var j=0;j<secs.length;j++){secs[j].querySelector('.none').hidden=!!secs[j].querySelector('.finding:not([hidden])');}
 document.getElementById('shown').textContent=String(shown);
}
function setLang(l){
 root.setAttribute('data-lang',l);root.lang=(l==='zh'?'zh-CN':'en');
 var ops=document.querySelectorAll('[data-zh]');
 for(var i=0;i<ops.length;i++){ops[i].textContent=ops[i].getAttribute('data-'+l);}
}
function fromHash(){
 var parts=(location.hash||'').replace(/^#/,'').split('&');
 for(var i=0;i<parts.length;i++){var kv=parts[i].split('='),k=kv[0],v=decodeURIComponent(kv[1]||'');
  if(k==='gaps'){document.getElementById('f-gaps').checked=(v==='1');continue;}
  var sel=document.getElementById('f-'+k);
  if(sel&&sel.tagName==='SELECT'){for(var j=0;j<sel.options.length;j++){if(sel.options[j].value===v){sel.value=v;}}}}
}
document.getElementById('lang').addEventListener('click',function(){setLang(root.getAttribute('data-lang')==='zh'?'en':'zh');});
if(document.getElementById('f-dimension')){
['f-dimension','f-force','f-outcome','f-gaps'].forEach(function(id){document.getElementById(id).addEventListener('change',apply);});
window.addEventListener('hashchange',function(){fromHash();apply();});
fromHash();
apply();
}
root.setAttribute('data-js','ready');
})();
""".strip()


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def style_csp(style: str, script: str | None = None) -> str:
    """A Content-Security-Policy that allows exactly this inline style (and script), by hash, and nothing else."""
    scripts = _hash(script) if script is not None else "'none'"
    return (f"default-src 'none'; style-src {_hash(style)}; script-src {scripts}; img-src 'none'; "
            f"base-uri 'none'; form-action 'none'")


def _e(value: object) -> str:
    return html_text(value)


class _Page:
    def __init__(self, ctx: ReportContext, links: Links | None = None) -> None:
        self.ctx = ctx
        self.links = links  # (result, finding) -> HTML placed after a finding's title (the workbench's links)
        self.by_lang = {"zh": replace(ctx, lang="zh"), "en": replace(ctx, lang="en")}

    def bi(self, make: Callable[..., str]) -> str:  # called with a ReportContext; "...": lambdas bind loop values as defaults
        """``make(ctx)`` in both languages, as two spans the stylesheet shows one of."""
        zh, en = make(self.by_lang["zh"]), make(self.by_lang["en"])
        if zh == en:
            return _e(zh)
        return f'<span class="zh" lang="zh">{_e(zh)}</span><span class="en" lang="en">{_e(en)}</span>'

    def t(self, key: str, **params: object) -> str:
        return self.bi(lambda c: c.t(key, **params))

    def option(self, value: str, key: str) -> str:
        zh, en = text(key, "zh"), text(key, "en")
        shown = en if self.ctx.lang == "en" else zh
        return f'<option value="{_e(value)}" data-zh="{_e(zh)}" data-en="{_e(en)}">{_e(shown)}</option>'


def _bar(counts: dict, width: int = 360, height: int = 16) -> str:
    """The outcomes of one dimension as one stacked bar, without labels (the table beside it has the numbers)."""
    rects, _end = segments([Segment(counts.get(o, 0), COLOURS[o], f"{o}: {counts.get(o, 0)}") for o in OUTCOMES],
                           0.0, 0, width, sum(counts.values()) or 1, height, shown=lambda v: f"{v:.2f}")
    return (f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{_e(" ".join(f"{o}={counts.get(o, 0)}" for o in OUTCOMES))}">{rects}</svg>')


def _legend(page: _Page) -> str:
    items = "".join(f'<span><i class="b-{o}"></i>{page.t("outcome." + o)}</span>' for o in OUTCOMES)
    return f'<div class="legend">{items}</div>'


def _dimension_table(page: _Page, counts: dict, gaps: dict) -> str:
    head = "".join(f'<th class="n">{page.t("outcome." + o)}</th>' for o in OUTCOMES)
    rows = []
    for d in DIMENSIONS:
        cells = "".join(f'<td class="n">{counts[d][o]}</td>' for o in OUTCOMES)
        rows.append(f'<tr><td>{page.t("dimension." + d)}</td><td class="chart">{_bar(counts[d])}</td>{cells}'
                    f'<td class="n">{gaps.get(d, 0)}</td></tr>')
    return (f'<table class="dims"><thead><tr><th>{page.t("html.col.dimension")}</th><th>{page.t("html.chart")}</th>'
            f'{head}<th class="n">{page.t("batch.gaps")}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _labelled(page: _Page, path: str) -> str:
    """A dossier field: its x-zh label for the Chinese reader, then the path itself."""
    label = field_name(path)
    return (f'<span class="zh" lang="zh">{_e(label)} </span>' if label else "") + f"<code>{_e(path)}</code>"


def _finding(page: _Page, result: DossierResult, f: Finding) -> str:
    ctx = page.ctx
    gap = f.is_gap(ctx.fail_on)
    head = (f'<div class="head"><span class="badge b-{f.outcome}">{page.t("outcome." + f.outcome)}</span>'
            f'<span class="rid">{_e(f.rule_id)}</span><span class="force">[{page.t("force." + f.force)}]</span>'
            f'{page.bi(lambda c: c.rule_text(f.rule_id, "title"))}')
    if gap:
        marker = "report.gap_marker" if is_failing(ctx, result, f) else "baseline.known_marker"
        head += f'<span class="gap">{page.t(marker)}</span>'
    if page.links is not None:
        head += page.links(result, f)
    head += "</div>"
    rows = []
    for i in range(len(finding_notes(ctx, f))):
        rows.append(("html.note", page.bi(lambda c, i=i: finding_notes(c, f)[i])))
    if f.outcome in ("fail", "missing", "waived", "not_taken"):
        rows.append(("rules.message", page.bi(lambda c: c.finding_text(f, "message"))))
        rows.append(("report.location", f"<code>{_e(location_text(result, f))}</code> · {page.t('report.path')} "
                                        f"{_labelled(page, f.path)}"
                    + (f" ({page.t('html.located_at')} <code>{_e(f.located_at or '/')}</code>)"
                       if f.located_at != f.path else "")))
        if f.missing_paths:
            rows.append(("report.missing_paths", ", ".join(_labelled(page, p) for p in f.missing_paths)))
        if f.values:
            rows.append(("report.values", "; ".join(
                f"<code>{_e(k)}</code> = {page.bi(lambda c, k=k: c.value_text(k, f.values[k]))}" for k in sorted(f.values))))
    if f.waiver is not None:
        rows.append(("html.waiver", page.bi(lambda c: waiver_note(c, f))))
    if f.evidence:
        rows.append(("report.citation_evidence", page.bi(lambda c: evidence_note(c, f))))
    rows.append(("report.citation", page.bi(lambda c: citation_text(c, f.rule_id))))
    if f.outcome in ("fail", "missing", "waived", "not_taken"):
        rows.append(("report.remedy", page.bi(lambda c: c.finding_text(f, "remedy"))))
    body = "".join(f"<dt>{page.t(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (f'<article class="finding o-{f.outcome}" data-dimension="{_e(f.dimension)}" data-force="{_e(f.force)}" '
            f'data-outcome="{_e(f.outcome)}" data-gap="{1 if gap else 0}">{head}<dl>{body}</dl></article>')


def _waivers(page: _Page, result: DossierResult) -> str:
    if not result.waivers:
        return ""
    day, source = judged_at(result)
    rows = []
    for w in result.waivers:
        where = f"{w.file or result.file}:{w.line}:{w.column}" if w.line else (w.file or result.file)
        status = "requested_granted" if w.granted else w.status
        rows.append(f"<tr><td><span class=\"rid\">{_e(w.rule_id)}</span></td><td>{page.t('waiver.status.' + status)}</td>"
                    f"<td>{_e(w.reason)}</td><td>{_e(w.approved_by)}</td><td class=\"nw\">{_e(w.approved_on or '-')}</td>"
                    f"<td class=\"nw\">{_e(w.expires or '-')}</td><td><code>{_e(where)}</code></td></tr>")
    head = "".join(f"<th>{page.t(k)}</th>" for k in ("html.col.rule", "html.col.status", "html.col.reason",
                                                       "html.col.approved_by", "html.col.approved_on",
                                                       "html.col.expires", "report.location"))
    judged = page.bi(lambda c: c.t("waiver.judged_at", date=day, source=c.t("waiver.source." + source)))
    return (f'<h3>{page.t("html.waivers")}</h3><p class="note">{judged}</p>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _cover(page: _Page, result: DossierResult) -> str:
    """The sheet a reviewer signs: project, reviewer, judgement date, verdict, and lines for two signatures."""
    ctx = page.ctx
    gaps = sum(1 for f in result.findings if is_failing(ctx, result, f))
    verdict = page.bi(lambda c: c.t("cover.verdict_gaps", gaps=gaps, fail_on=c.fail_on) if gaps
                      else c.t("cover.verdict_pass", fail_on=c.fail_on))
    manual = page.bi(lambda c: c.t("cover.manual_left", count=len(_manual_requirements())))
    reviewer = _e(ctx.reviewer) if ctx.reviewer else page.t("cover.reviewer_blank")
    as_of = _e(ctx.as_of.date) if ctx.as_of is not None else "-"
    rows = [("cover.project", f"{_e(result.project_name or result.project_id)} (<code>{_e(result.project_id)}</code>)"),
            ("cover.file", f"<code>{_e(result.file)}</code>"), ("cover.reviewer", reviewer), ("cover.as_of", as_of),
            ("cover.verdict", f'<span class="verdict">{verdict}</span><br>{manual}')]
    body = "".join(f"<dt>{page.t(k)}</dt><dd>{v}</dd>" for k, v in rows)
    signs = "".join(f"<div>{page.t(k)}</div>" for k in ("cover.sign_reviewer", "cover.sign_date",
                                                         "cover.sign_checker", "cover.sign_date"))
    return (f'<div class="cover"><h3>{page.t("cover.title")}</h3><dl>{body}</dl>'
            f'<div class="sign">{signs}</div></div>')


_MANUAL: list = []


def _manual_requirements() -> list:
    """The catalogue's requirements that dossier facts cannot decide (``manual: true``), loaded once per process."""
    if not _MANUAL:
        from checker.rulebook.coverage import load_catalog

        _MANUAL.extend(r for r in load_catalog().requirements if r.get("manual"))
    return _MANUAL


def _checklist(page: _Page) -> str:
    from checker.i18n.messages import pick

    rows = "".join(
        f'<tr><td><span class="rid">{_e(r["id"])}</span><br>{_e(r["section"])} “{_e(r["phrase"])}”</td>'
        f'<td>{page.bi(lambda c, r=r: pick(r["summary"], c.lang))}</td><td>{page.bi(lambda c, r=r: pick(r["review"], c.lang))}</td>'
        f'<td class="box">{page.t("checklist.boxes")}</td><td></td></tr>'
        for r in _manual_requirements())
    cols = '<colgroup><col class="c-req"><col class="c-sum"><col><col class="c-box"><col class="c-note"></colgroup>'
    head = "".join(f"<th>{page.t(k)}</th>" for k in ("checklist.col.requirement", "checklist.col.summary",
                                                   "checklist.col.look_at", "checklist.col.result", "checklist.col.note"))
    return (f'<h3>{page.t("checklist.title")}</h3><table class="fixed checklist">{cols}<thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _advisories(page: _Page, result: DossierResult) -> str:
    """MODE-01 and the like: advice for the reviewer, not gaps (see renovcheck recommend)."""
    return "".join(f'<p class="advisory"><strong>!</strong> {page.bi(lambda c, a=a: advisory_text(a, c.lang))}</p>'
                   for a in advisories_of(result))


def _evidence(page: _Page, result: DossierResult) -> str:
    if not result.evidence:
        return f'<h3>{page.t("evidence.title")}</h3><p class="note">{page.t("evidence.none")}</p>'
    rows = "".join(f"<tr><td><code>{_e(c.measure)}</code></td><td><code>{_e(c.file)}</code></td>"
                   f"<td><code>{_e((c.sha256 or '-')[:16])}</code></td><td>{page.t('evidence.status.' + c.status)}</td></tr>"
                   for c in result.evidence)
    head = "".join(f"<th>{page.t(k)}</th>" for k in ("evidence.col.measure", "evidence.col.file"))
    return (f'<h3>{page.t("evidence.title")}</h3><table class="evidence"><thead><tr>{head}<th>SHA-256</th>'
            f'<th>{page.t("evidence.col.status")}</th></tr></thead><tbody>{rows}</tbody></table>')


def _dossier(page: _Page, index: int, result: DossierResult) -> str:
    ctx = page.ctx
    counts = dimension_counts(result)
    gaps = {d: sum(1 for f in result.findings if f.dimension == d and f.is_gap(ctx.fail_on)) for d in DIMENSIONS}
    title = f"{_e(result.project_name or result.project_id)} <small><code>{_e(result.file)}</code></small>"
    summary = page.bi(lambda c: c.t("report.summary", total=len(result.findings), gaps=len(result.gaps(c.fail_on)),
                                     fail_on=c.fail_on, **result.counts()))
    findings = "".join(_finding(page, result, f) for f in result.findings)
    return (f'<section class="dossier" id="d{index}"><h2>{title}</h2>{_cover(page, result)}'
            f'<p class="note">{page.t("html.project_id")}: <code>{_e(result.project_id)}</code> · {summary}</p>'
            f'{_dimension_table(page, counts, gaps)}{_waivers(page, result)}{_advisories(page, result)}'
            f'<h3>{page.t("html.findings")}</h3>{findings}<p class="none note" hidden>{page.t("html.none_shown")}</p>'
            f'{_evidence(page, result)}{_checklist(page)}</section>')


def dossier_section(result: DossierResult, ctx: ReportContext, links: Links | None = None) -> str:
    """One dossier's section of the report, as this page shows it: the workbench (checker/web) embeds it, so a
    dossier reads the same in the page and in the file. ``links(result, finding)`` adds HTML after each title."""
    return _dossier(_Page(ctx, links), 0, result)


def _overview(page: _Page, results: Sequence[DossierResult], href: Callable[[int], str] | None = None) -> str:
    """The run's summary and, for a batch (or a report folder, whose index links every page), the table of dossiers;
    ``href(i)`` is where dossier ``i`` is (an anchor on this page by default)."""
    ctx = page.ctx
    totals = {d: {o: 0 for o in OUTCOMES} for d in DIMENSIONS}
    gaps = {d: 0 for d in DIMENSIONS}
    for result in results:
        for d, row in dimension_counts(result).items():
            for o, n in row.items():
                totals.setdefault(d, {k: 0 for k in OUTCOMES})[o] += n
        for f in result.gaps(ctx.fail_on):
            gaps[f.dimension] = gaps.get(f.dimension, 0) + 1
    with_gaps = sum(1 for r in results if any(is_failing(ctx, r, f) for f in r.findings))
    line = page.bi(lambda c: c.t("report.all_summary", count=len(results), with_gaps=with_gaps))
    review = "<br>".join(page.bi(lambda c, i=i: c.run_lines()[i]) for i in range(len(ctx.run_lines())))
    out = [f'<section id="overview"><h2>{page.t("html.overview")}</h2><p class="note">{line}</p>',
           f'<p class="note review">{review}</p>',
           _legend(page), _dimension_table(page, totals, gaps)]
    if ctx.baseline is not None:
        b = ctx.baseline
        out.append(f'<p class="note">{page.bi(lambda c: c.t("baseline.summary", file=b.file, new=len(b.new), known=len(b.known), fixed=len(b.fixed)))}</p>')
        if b.fixed:
            items = "".join(f'<li>{page.bi(lambda c, e=e, now=now: c.t("baseline.fixed_item", project=e["project_id"], rule=e["rule_id"], outcome=c.t("outcome." + now) if now else "-"))}</li>'
                            for e, now in b.fixed)
            out.append(f"<ul>{items}</ul>")
    out.append("</section>")
    if len(results) > 1 or href is not None:
        href = href or (lambda i: f"#d{i}")
        index = {id(r): i for i, r in enumerate(results)}
        by_file = {r.file: r for r in results}
        head = "".join(f"<th>{page.t(k)}</th>" for k in ("batch.file", "batch.project"))
        head += f'<th class="n">{page.t("batch.gaps")}</th>'
        head += "".join(f'<th class="n">{page.t("dimension." + d)}</th>' for d in DIMENSIONS)
        head += f'<th class="n">{page.t("batch.shall_share")}</th>'
        rows = []
        for r in table(results, ctx):
            anchor = index[id(by_file[r.file])]
            cells = "".join(f'<td class="n">{r.gaps_by_dimension.get(d, 0)}</td>' for d in DIMENSIONS)
            rows.append(f'<tr><td><a href="{_e(href(anchor))}"><code>{_e(r.file)}</code></a></td>'
                        f'<td>{_e(r.project_name or r.project_id)}</td><td class="n">{r.gaps}</td>{cells}'
                        f'<td class="n">{_e(r.share_text())} ({r.shall_passed}/{r.shall_applicable})</td></tr>')
        out.append(f'<section id="batch"><h2>{page.bi(lambda c: c.t("batch.title", fail_on=c.fail_on))}</h2>'
                   f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>')
    return "".join(out)


def _filters(page: _Page) -> str:
    def select(name: str, values: Sequence[str], prefix: str) -> str:
        options = page.option("", "html.filter.all") + "".join(page.option(v, prefix + v) for v in values)
        return f'<label>{page.t("html.filter." + name)}<select id="f-{name}">{options}</select></label>'

    return (f'<section class="filters">{select("dimension", DIMENSIONS, "dimension.")}'
            f'{select("force", FORCES, "force.")}{select("outcome", OUTCOMES, "outcome.")}'
            f'<label><input type="checkbox" id="f-gaps"> {page.t("html.filter.gaps_only")}</label>'
            f'<span class="note">{page.t("html.shown")}: <b id="shown">-</b></span></section>')


def _document(page: _Page, count: int, main: str, up: str = "") -> str:
    """The page around ``main``: head with the CSP, header, footer and the one script (by hash)."""
    ctx = page.ctx
    csp = style_csp(STYLE, SCRIPT)
    lang = "en" if ctx.lang == "en" else "zh"
    profile = ""
    if uses_profile(ctx):
        profile = "".join(" · " + _e(line) for line in profile_lines(ctx))
    meta = (f'renovcheck {_e(ctx.tool_version)} · --fail-on {page.bi(lambda c: c.t("force." + c.fail_on))}{profile} · '
            f'{page.t("html.dossier_count", count=count)}')
    back = f'<p class="noprint"><a href="{_e(up)}">{page.t("html.back_to_index")}</a></p>' if up else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}" data-lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<title>{_e(text("html.title", lang))}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n'
        f'<header><button type="button" id="lang">中文 / English</button><h1>{page.t("html.title")}</h1>'
        f'<div class="meta">{page.t("html.subtitle")}<br>{meta}</div></header>\n'
        f'<main>\n{back}{main}\n</main>\n'
        f'<footer>{page.t("html.footer")}</footer>\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def render(results: Sequence[DossierResult], ctx: ReportContext) -> str:
    page = _Page(ctx)
    body = "".join(_dossier(page, i, r) for i, r in enumerate(results))
    return _document(page, len(results), f"{_overview(page, results)}\n{_filters(page)}\n{body}")


def site_page(index: int) -> str:
    """Where dossier ``index`` (0-based, in the run's order) lives in a report folder."""
    return f"d/{index + 1:05d}.html"


def render_site(results: Sequence[DossierResult], ctx: ReportContext) -> dict[str, str]:
    """A report folder for a batch of any size: ``index.html`` (the overview and the table of dossiers, each linked
    to its page) and one page per dossier under ``d/`` — a browser opens the index at once however large the batch."""
    page = _Page(ctx)
    pages = {"index.html": _document(page, len(results), _overview(page, results, href=site_page))}
    for i, result in enumerate(results):
        pages[site_page(i)] = _document(page, 1, f"{_filters(page)}\n{_dossier(page, i, result)}", up="../index.html")
    return pages
