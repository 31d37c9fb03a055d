"""Every text a user reads, in Chinese (default) and English. Rule texts live in the rule files."""
from __future__ import annotations

LANGS = ("zh", "en")

MESSAGES = {
    # reading input
    "input.unreadable": ("无法读取文件:{reason}", "cannot read the file: {reason}"),
    "input.too_large": ("文件超过 {limit} 字节的上限", "file is larger than the limit of {limit} bytes"),
    "input.binary": ("文件含有 NUL 字节,看来是二进制文件而不是 YAML/JSON", "file contains NUL bytes: it looks binary, not YAML or JSON"),
    "input.not_utf8": ("文件不是 UTF-8 编码(例如 GBK);请转存为 UTF-8,或用 --encoding 指明编码", "file is not UTF-8 (GBK, perhaps); save it as UTF-8 or name its encoding with --encoding"),
    "input.bad_encoding": ("文件不能按 {encoding} 解码", "file cannot be decoded as {encoding}"),
    "input.unknown_encoding": ("未知编码:{encoding}", "unknown encoding: {encoding}"),
    "input.empty": ("文件为空,没有档案内容", "file is empty: there is no dossier in it"),
    "input.syntax": ("YAML/JSON 语法错误:{detail}", "YAML/JSON syntax error: {detail}"),
    "input.multiple_documents": ("一个文件只能包含一个档案(发现多个 YAML 文档)", "a file holds one dossier only (found several YAML documents)"),
    "input.root_not_mapping": ("档案的最外层必须是键值映射(对象),不能是列表或单个值", "the top level of a dossier must be a mapping (object), not a list or a single value"),
    "input.duplicate_key": ("重复的键 “{key}”(首次出现在第 {first_line} 行)", "duplicate key '{key}' (first at line {first_line})"),
    "input.tag": ("不允许的 YAML 标签 {tag}:档案只能含普通数据", "YAML tag {tag} is not allowed: a dossier holds plain data only"),
    "input.bad_scalar": ("无法把 “{value}” 读作 {tag}", "cannot read '{value}' as {tag}"),
    "input.non_finite": ("数值 “{value}” 不是有限数", "number '{value}' is not finite"),
    "input.complex_key": ("键必须是文本", "mapping keys must be text"),
    "input.too_deep": ("嵌套超过 {limit} 层", "nesting deeper than {limit} levels"),
    "input.too_many_nodes": ("展开后的节点数超过 {limit}(可能是别名炸弹)", "more than {limit} nodes once aliases are expanded (an alias bomb?)"),
    "input.string_too_long": ("字符串长度超过 {limit} 个字符", "a string is longer than {limit} characters"),
    "input.unknown_alias": ("未定义的别名 *{anchor}", "undefined alias *{anchor}"),
    "input.recursive_alias": ("别名 *{anchor} 引用了自身", "alias *{anchor} refers to itself"),
    "input.no_dossiers": ("未找到档案文件(.yaml、.yml 或 .json)", "no dossier files found (.yaml, .yml or .json)"),
    "input.not_found": ("文件或目录不存在", "no such file or directory"),
    # schema
    "schema.required": ("缺少必填字段 {name}", "required field {name} is missing"),
    "schema.additionalProperties": ("未知字段 {name}", "unknown field {name}"),
    "schema.unevaluatedProperties": ("未知字段 {name}", "unknown field {name}"),
    "schema.type": ("类型应为 {expected},实际为 {value}", "expected {expected}, got {value}"),
    "schema.enum": ("取值 {value} 不在允许范围 {expected} 内", "{value} is not one of {expected}"),
    "schema.const": ("取值应为 {expected},实际为 {value}", "expected {expected}, got {value}"),
    "schema.format": ("{value} 不是有效的 {expected}(日期须真实存在,格式 YYYY-MM-DD)", "{value} is not a valid {expected} (a real date, YYYY-MM-DD)"),
    "schema.pattern": ("{value} 不符合格式 {expected}", "{value} does not match the pattern {expected}"),
    "schema.minimum": ("{value} 小于最小值 {expected}", "{value} is less than the minimum {expected}"),
    "schema.maximum": ("{value} 大于最大值 {expected}", "{value} is greater than the maximum {expected}"),
    "schema.exclusiveMinimum": ("{value} 须大于 {expected}", "{value} must be greater than {expected}"),
    "schema.exclusiveMaximum": ("{value} 须小于 {expected}", "{value} must be less than {expected}"),
    "schema.minLength": ("文本太短(至少 {expected} 个字符)", "text is too short (at least {expected} characters)"),
    "schema.maxLength": ("文本太长(至多 {expected} 个字符)", "text is too long (at most {expected} characters)"),
    "schema.minItems": ("列表至少要有 {expected} 项;没有内容时请删去本字段", "the list needs at least {expected} items; leave the field out when there is nothing to say"),
    "schema.maxItems": ("列表至多 {expected} 项", "the list has more than {expected} items"),
    "schema.uniqueItems": ("列表中有重复项", "the list has repeated items"),
    "schema.oneOf": ("取值不符合任何一种允许的形式", "the value matches none of the allowed forms"),
    "schema.anyOf": ("取值不符合任何一种允许的形式", "the value matches none of the allowed forms"),
    "schema.not": ("不允许这种组合", "this combination is not allowed"),
    "schema.minProperties": ("字段太少", "too few fields"),
    "schema.maxProperties": ("字段太多", "too many fields"),
    "schema.other": ("不符合档案格式:{detail}", "does not match the schema: {detail}"),
    # rule files
    "rule.invalid": ("规则 {rule} 无效:{detail}", "rule {rule} is invalid: {detail}"),
    "rule.duplicate_id": ("规则编号 {rule} 重复", "rule id {rule} is used twice"),
    "rule.unknown_param": ("规则 {rule} 使用了未声明的参数 {name}", "rule {rule} uses the undeclared parameter {name}"),
    "rule.unused_param": ("规则 {rule} 声明的参数 {name} 未被使用", "rule {rule} declares the parameter {name} but never uses it"),
    "rule.unknown_path": ("规则 {rule} 读取的路径 {path} 不在档案格式中", "rule {rule} reads {path}, which the dossier schema does not have"),
    "rule.nested_quantifier": ("规则 {rule}:不支持嵌套的 every/some({path})", "rule {rule}: every/some cannot be nested ({path})"),
    "rule.derived_in_quantifier": ("规则 {rule}:every/some 内不能比较日期或正则({path})", "rule {rule}: dates and regular expressions cannot be compared inside every/some ({path})"),
    "rule.trivial_quantifier": ("规则 {rule}:every/some 的条件恒真({path})", "rule {rule}: the condition inside every/some is always true ({path})"),
    "rule.bad_offset": ("规则 {rule}:天数偏移必须是整数({path})", "rule {rule}: a day offset must be a whole number ({path})"),
    "rule.bad_operand": ("规则 {rule}:{path} 的比较值无效", "rule {rule}: the value compared with {path} is not valid"),
    "rule.bad_regex": ("规则 {rule}:正则表达式 {pattern} 无效:{reason}", "rule {rule}: regular expression {pattern} is invalid: {reason}"),
    "rule.too_deep": ("规则 {rule} 的条件嵌套太深(上限 {limit} 层)", "rule {rule}: condition nested deeper than {limit} levels"),
    "rule.bad_example": ("规则 {rule} 的示例 “{name}” 不是有效档案:{detail}", "rule {rule}: example '{name}' is not a valid dossier: {detail}"),
    "rule.citation_not_found": ("规则 {rule} 的引文 “{phrase}” 不在指南原文中", "rule {rule}: citation '{phrase}' is not in the guide text"),
    "rule.bad_manifest": ("规则清单无效:{detail}", "rule manifest is invalid: {detail}"),
    # engine
    "engine.load_failed": ("规则引擎无法加载规则集:{reason}", "the rule engine could not load a ruleset: {reason}"),
    "engine.failed": ("规则引擎出错:{reason}", "the rule engine failed: {reason}"),
    "engine.loop": ("规则引擎动作次数超限,已中止(疑似死循环)", "the rule engine fired more actions than possible and was stopped (a loop?)"),
    "engine.timeout": ("规则引擎运行超过 {limit} 秒,已中止", "the rule engine ran longer than {limit} s and was stopped"),
    "engine.crashed": ("规则引擎进程意外终止({reason})", "the rule engine process ended unexpectedly ({reason})"),
    "engine.action_failed": ("规则引擎动作出错:{reason}", "an engine action failed: {reason}"),
    "engine.outcome_count": ("规则 {rule} 得到的结论数不是一个({outcomes}),不给出结论", "rule {rule} did not end with exactly one outcome ({outcomes}); no verdict given"),
    "engine.unexplained_missing": ("规则 {rule} 未得出结论,但档案并不缺少它所需的字段;不给出结论", "rule {rule} reached no outcome although the dossier has every field it reads; no verdict given"),
    "engine.error_prefix": ("{file}: 无法给出审查结论:{detail}", "{file}: no verdict: {detail}"),
    # report vocabulary
    "dimension.construction": ("施工管理规范化", "Orderly construction"),
    "dimension.operations": ("运营管理专业化", "Professional operation"),
    "dimension.governance": ("社区治理协同化", "Shared governance"),
    "dimension.evaluation": ("评估改进常态化", "Evaluation and improvement"),
    "force.shall": ("应", "shall"),
    "force.should": ("宜", "should"),
    "force.may": ("可", "may"),
    "outcome.pass": ("符合", "pass"),
    "outcome.fail": ("不符合", "fail"),
    "outcome.missing": ("缺少材料", "missing"),
    "outcome.not_applicable": ("不适用", "not applicable"),
    "report.dossier": ("档案 {file}({name})", "Dossier {file} ({name})"),
    "report.location": ("位置", "location"),
    "report.path": ("字段", "field"),
    "report.citation": ("依据", "basis"),
    "report.remedy": ("整改", "remedy"),
    "report.missing_paths": ("缺少", "missing"),
    "report.values": ("档案取值", "dossier values"),
    "report.summary": ("合计:{total} 条规则,符合 {pass},不符合 {fail},缺少材料 {missing},不适用 {not_applicable};差距 {gaps} 项(--fail-on {fail_on})",
                       "Total: {total} rules, {pass} pass, {fail} fail, {missing} missing, {not_applicable} not applicable; {gaps} gaps (--fail-on {fail_on})"),
    "report.all_summary": ("共 {count} 份档案,有差距的 {with_gaps} 份", "{count} dossiers, {with_gaps} with gaps"),
    "report.gap_marker": ("差距", "gap"),
    "report.profile": ("配置:{name}", "Profile: {name}"),
    "report.override": ("覆盖:{what}", "override: {what}"),
    "report.assumption": ("假设", "assumption"),
    # rules commands
    "rules.unknown": ("没有编号为 {rule} 的规则", "there is no rule {rule}"),
    "rules.example_ok": ("{rule} 示例 “{name}”:{outcome} ✓", "{rule} example '{name}': {outcome} ✓"),
    "rules.example_bad": ("{rule} 示例 “{name}”:应为 {expected},实际为 {actual} ✗", "{rule} example '{name}': expected {expected}, got {actual} ✗"),
    "rules.examples_summary": ("{passed} passed, {failed} failed", "{passed} passed, {failed} failed"),
    "rules.parameters": ("参数", "Parameters"),
    "rules.examples": ("示例", "Examples"),
    "rules.applies_when": ("适用条件", "Applies when"),
    "rules.require": ("要求", "Requires"),
    "rules.title": ("标题", "Title"),
    "rules.message": ("问题", "Message"),
    "cli.written": ("已写入 {file}", "wrote {file}"),
    "cli.exists": ("{file} 已存在;加 --force 覆盖", "{file} exists; add --force to overwrite"),
    "cli.bad_set": ("--set 须写成 路径=值:{value}", "--set takes PATH=VALUE: {value}"),
}


def text(key: str, lang: str = "zh", /, **params) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        template = key
    else:
        template = pair[1] if lang == "en" else pair[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def pick(texts: dict, lang: str) -> str:
    """A {zh:, en:} pair from a rule file."""
    return texts.get(lang) or texts.get("zh") or ""
