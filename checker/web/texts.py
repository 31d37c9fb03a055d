"""Every text of the workbench in Chinese (default) and English, added to checker/i18n/messages.py's table.

They are kept here rather than in checker/i18n/messages.py so that the web layer stays one folder; ``text(key, lang)``
reads them like any other message. A key may not repeat one of messages.py (checked when registering).
"""
from __future__ import annotations

from checker.i18n import messages

WEB_MESSAGES = {
    "web.title": ("老旧小区改造审查工作台", "Renovation review workbench"),
    "web.subtitle": ("《北京市老旧小区改造绿色宜居规划设计指南》第7章 建设维护管理", "Chapter 7 of the Beijing old-community renovation guide: construction, maintenance and management"),
    "web.switch_lang": ("English", "中文"),
    "web.nav.portfolio": ("项目总览", "Portfolio"),
    "web.nav.whatif": ("模式推演", "What-if"),
    "web.nav.new": ("新建档案", "New dossier"),
    "web.served": ("所审查的目录:{roots}", "Folders served: {roots}"),
    "web.as_of": ("审查判断日:{date}", "Judgement date: {date}"),
    "web.waivers_file": ("豁免清单:{file}", "Waiver list: {file}"),
    "web.evidence_root": ("证明材料根目录:{root}", "Evidence root: {root}"),
    "web.evidence_off": ("未核对证明材料(启动时未指定 --evidence-root)", "evidence not verified (no --evidence-root given at start)"),
    # portfolio
    "web.portfolio.count": ("共 {count} 份档案,{with_gaps} 份有差距,{invalid} 份无法读取或不符合档案格式", "{count} dossiers, {with_gaps} with gaps, {invalid} unreadable or invalid"),
    "web.portfolio.filter": ("筛选", "Filter"),
    "web.portfolio.filter_text": ("按名称、编号或文件查找", "find by name, id or file"),
    "web.portfolio.all": ("全部", "all"),
    "web.portfolio.only_gaps": ("只看有差距的", "only with gaps"),
    "web.portfolio.shown": ("显示 {shown} / {total}", "showing {shown} of {total}"),
    "web.col.project": ("项目", "Project"),
    "web.col.file": ("文件", "File"),
    "web.col.district": ("所在区", "District"),
    "web.col.phase": ("阶段", "Phase"),
    "web.col.gaps": ("差距", "Gaps"),
    "web.col.shall_rate": ("“应”类符合率", "Shall passed"),
    "web.col.recommended": ("推荐模式", "Recommended mode"),
    "web.col.declared": ("所报模式及适配", "Declared mode and fit"),
    "web.phase.planning": ("规划设计", "planning"),
    "web.phase.construction": ("施工", "construction"),
    "web.phase.completed": ("已竣工", "completed"),
    "web.phase.operating": ("运营", "operating"),
    "web.invalid": ("无法检查", "cannot be checked"),
    "web.none": ("无", "none"),
    "web.chart.gaps": ("各维度差距数", "Gaps by dimension"),
    "web.chart.modes": ("各区推荐模式", "Recommended modes by district"),
    "web.chart.no_mode": ("暂无推荐", "none yet"),
    "web.sort_hint": ("点击表头排序", "click a column heading to sort"),
    # dossier
    "web.dossier.back": ("返回项目总览", "Back to the portfolio"),
    "web.dossier.source": ("档案原文", "Source"),
    "web.dossier.rule": ("规则说明", "Rule"),
    "web.dossier.at_line": ("第 {line} 行", "line {line}"),
    "web.dossier.desk": ("审查台", "Reviewer's desk"),
    "web.dossier.whatif": ("以此档案推演模式", "What-if on this dossier"),
    "web.dossier.edit": ("编辑档案", "Edit the dossier"),
    "web.dossier.problems": ("此档案无法检查:", "This dossier cannot be checked:"),
    "web.source.title": ("档案原文:{file}", "Source: {file}"),
    "web.rule.title": ("规则 {rule}", "Rule {rule}"),
    "web.rule.unknown": ("没有这条规则", "no such rule"),
    "web.not_found": ("所请求的档案不在所审查的目录中", "the requested dossier is not among the folders served"),
    "web.forbidden": ("缺少或错误的访问令牌:请使用启动时显示的地址", "missing or wrong access token: use the address printed at start"),
    "web.csrf": ("表单已过期或来源不明(跨站请求防护):请刷新页面后重试", "the form has expired or comes from elsewhere (cross-site request protection): reload the page and try again"),
    "web.bad_host": ("不受理的主机名", "host name not accepted"),
    "web.footer": ("本页面只读取所审查目录中的档案;审查方的决定写入豁免清单和审查记录,从不写入档案。", "This page only reads the dossiers in the folders served; the reviewer's decisions go to the waiver list and the review record, never into a dossier."),
    # what-if
    "web.whatif.intro": ("改变下列事实或阈值,右侧即时给出物业服务模式推荐(与 renovcheck recommend --set 相同);档案文件不会改动,除非保存副本或配置。", "Change a fact or a threshold and the recommendation on the right follows at once (as renovcheck recommend --set gives it); no file changes unless you save a copy or a profile."),
    "web.whatif.base": ("基于档案", "Based on dossier"),
    "web.whatif.open": ("打开", "Open"),
    "web.whatif.facts": ("模式推荐所依据的事实", "Facts the mode book reads"),
    "web.whatif.thresholds": ("阈值(参数)", "Thresholds (parameters)"),
    "web.whatif.assumption": ("(本工具的假设)", " (our assumption)"),
    "web.whatif.answer": ("推荐结果", "Recommendation"),
    "web.whatif.changes": ("与档案原样相比的变化", "What changed against the dossier as it is"),
    "web.whatif.side_by_side": ("四种模式并列对比", "The four modes side by side"),
    "web.whatif.missing": ("尚缺的事实", "Facts still missing"),
    "web.whatif.timing": ("服务器用时 {ms} 毫秒", "answered by the server in {ms} ms"),
    "web.whatif.save": ("保存", "Save"),
    "web.whatif.save_note": ("“保存副本”在原档案旁另存一份新档案(保留注释,项目编号加后缀);“保存为配置”把改动的阈值写成配置文件,供 check --profile 使用。", "'Save a copy' writes a new dossier beside the original (comments kept, project id with a suffix); 'Save as profile' writes the changed thresholds as a profile for check --profile."),
    "web.whatif.save_copy": ("保存副本", "Save a copy"),
    "web.whatif.profile_name": ("配置名", "Profile name"),
    "web.whatif.save_profile": ("保存为配置", "Save as profile"),
    "web.whatif.saved": ("已写入 {file}", "written: {file}"),
    "web.whatif.exists": ("文件已存在,未覆盖", "the file exists already; not overwritten"),
    "web.whatif.fix_first": ("表单中有无效的值,请先改正", "the form has invalid values: correct them first"),
    "web.whatif.bad_profile_name": ("配置名 “{name}” 无效:只能用小写字母、数字、- 和 _", "profile name '{name}' is invalid: lower-case letters, digits, - and _ only"),
    "web.whatif.profile_title": ("模式推演中保存的阈值", "Thresholds saved from the what-if page"),
    "web.form.unsaid": ("(未说明)", "(not stated)"),
    "web.form.yes": ("是", "yes"),
    "web.form.no": ("否", "no"),
    # reviewer's desk
    "web.desk.title": ("审查台:{project}", "Reviewer's desk: {project}"),
    "web.desk.intro": ("这里的决定写入审查方的文件,从不写入档案:豁免写入 {waivers}(即 check --waivers 读取的清单),人工核查结果写入 {record}。", "What you decide here goes to the reviewer's files, never into the dossier: waivers to {waivers} (the list check --waivers reads), the manual review to {record}."),
    "web.desk.waivers": ("豁免", "Waivers"),
    "web.desk.no_waivers": ("审查方的豁免清单中没有本项目的豁免。", "The reviewer's waiver list has no waiver for this project."),
    "web.desk.grant": ("批准豁免", "Grant the waiver"),
    "web.desk.revoke": ("撤销", "Revoke"),
    "web.desk.expires_note": ("“应”类规则必须填写到期日", "required for a shall rule"),
    "web.desk.save_review": ("保存核查记录", "Save the review record"),
    "web.desk.recorded": ("已记录:审查人 {reviewer},{date}", "recorded by {reviewer} on {date}"),
    "web.desk.decision.pending": ("未核查", "not reviewed"),
    "web.desk.decision.pass": ("符合", "met"),
    "web.desk.decision.fail": ("不符合", "not met"),
    "web.desk.decision.not_applicable": ("不适用", "not applicable"),
    "web.dossier.review_record": ("人工核查记录({reviewer},{date}):{done}/{total} 项已核查", "Manual review record ({reviewer}, {date}): {done} of {total} items reviewed"),
    # dossier form
    "web.form.intro": ("按档案格式逐项填写;留空表示“未说明”,相关规则的结果为“缺少材料”。检查时给出与命令行相同的提示,并标在对应字段旁。", "Fill in the dossier field by field; a field left empty says nothing (rules that need it report missing). Checking gives the command line's messages, next to their fields."),
    "web.form.intro_edit": ("只改动您修改过的字段,文件中的注释和顺序保持不变;可另存为旁边的新文件,或在原文件中保存。", "Only the fields you change are changed; the file's comments and order stay as they are. Save as a new file beside it, or in place."),
    "web.form.edit_title": ("编辑档案:{file}", "Edit dossier: {file}"),
    "web.form.error_count": ("有 {count} 处需要改正(见标红的字段)", "{count} problems to correct (marked in red at their fields)"),
    "web.form.valid": ("档案格式正确", "the dossier is valid"),
    "web.form.check": ("检查", "Check"),
    "web.form.file_name": ("文件名", "File name"),
    "web.form.save": ("保存到所审查的目录", "Save in the served folder"),
    "web.form.download": ("下载档案文件", "Download the YAML file"),
    "web.form.save_beside": ("另存为新文件", "Save as a new file beside it"),
    "web.form.save_in_place": ("保存到原文件(保留注释)", "Save in place (comments kept)"),
    "web.form.one_per_line": ("每行一项", "one item per line"),
    "web.form.bad_name": ("文件名须以 .yaml 结尾,位于所审查的目录内,且不能以 . 开头或含 ..", "the file name must end in .yaml, stay inside the served folder, and neither start with . nor contain .."),
    # serve command
    "web.serve.listening": ("审查工作台已启动:{url}(按 Ctrl+C 停止)", "workbench running at {url} (Ctrl+C stops it)"),
    "web.serve.token_needed": ("绑定到 {host} 时其他机器也能访问:请用 --token 指定访问令牌,或用 --token random 生成一个", "binding to {host} lets other machines connect: give an access token with --token, or --token random to make one"),
    "web.serve.missing_extra": ("审查工作台需要可选依赖:pip install 'renovcheck[web]'(缺少 {module})", "the workbench needs the optional dependencies: pip install 'renovcheck[web]' ({module} is missing)"),
}


def register() -> None:
    clash = sorted(set(WEB_MESSAGES) & set(messages.MESSAGES) - {k for k in WEB_MESSAGES
                                                                   if messages.MESSAGES.get(k) == WEB_MESSAGES[k]})
    if clash:
        raise RuntimeError(f"checker/web/texts.py repeats message keys of checker/i18n/messages.py: {clash}")
    messages.MESSAGES.update(WEB_MESSAGES)


register()
