"""Seeded synthetic dossiers of a realistic shape (about 10 KB each) for the benchmark.

Every dossier is valid under ``schemas/dossier.schema.json``; the seed decides everything, so the same
``(seed, index)`` always gives the same bytes. Names, files and figures are invented.
"""
from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

DISTRICTS = ["东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区", "通州区", "顺义区",
             "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"]
PHASES = ["planning", "construction", "completed", "operating"]
PLACE_WORDS = ["玉桥", "古城", "枣园", "六铺炕", "劲松", "团结湖", "和平里", "永定路", "车公庄", "安贞", "方庄", "八里庄"]
FACILITY_NAMES = ["电梯", "充电桩", "健身器材", "儿童游乐设施", "雨水花园", "自行车棚", "垃圾分类站", "无障碍坡道",
                  "快递柜", "照明设施", "监控设备", "休闲座椅", "口袋公园", "停车位", "消防通道标识"]
NOTES = ["居民议事会讨论通过,会议纪要已归档。", "由街道牵头、社区居委会组织实施,物业企业配合。",
         "施工期间每周召开一次协调会,问题当周销号。", "相关材料已在社区公告栏及线上群公示七日。",
         "专业机构出具报告,结论与整改建议见附件。"]

CONSTRUCTION_MEASURES = ["plan_notice", "pipeline_survey", "communication_mechanism", "disturbance_mitigation",
                         "quality_supervision", "materials_disclosure", "household_files", "standard_process",
                         "resident_consultation", "site_meetings", "resident_observers"]
OPERATIONS_MEASURES = ["operator_arranged", "fee_standard_published", "fee_use_published", "service_standard",
                       "subsidy_mechanism", "quality_monitoring", "owner_capacity_building", "data_platform"]
GOVERNANCE_MEASURES = ["party_led_consultation", "party_member_role", "online_channel", "offline_channel",
                       "young_engagement", "issue_triage", "resident_maintenance"]
EVALUATION_MEASURES = ["improvement_plan", "feedback_mechanism", "monitoring_data", "fiscal_performance"]
SMART = ["access_control", "environmental_monitoring", "emergency_alarm", "smart_parking", "security_monitoring",
         "falling_object_monitoring"]


# The generated world ends before any judgement date the benches and tests use (the samples' as-of is later).
LATEST_REPORT_DATE = date(2026, 6, 30)


def _dates_in(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _dates_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dates_in(value)
    elif isinstance(node, str) and len(node) == 10 and node[4] == "-" and node[7] == "-" and node[:4].isdigit():
        yield node


def _day(d: date) -> str:
    return d.isoformat()


class _Dossier:
    def __init__(self, rng: random.Random, index: int):
        self.rng = rng
        self.index = index
        self.start = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365))

    def evidence(self, stem: str) -> list:
        rng = self.rng
        items = []
        for n in range(rng.randint(1, 2)):
            name = f"evidence/p{self.index:05d}/{stem}-{n + 1}.pdf"
            item = {"file": name}
            if rng.random() < 0.5:
                item["sha256"] = hashlib.sha256(f"{self.index}/{stem}/{n}".encode()).hexdigest()
            if rng.random() < 0.4:
                item["page"] = rng.randint(1, 40)
            if rng.random() < 0.2:
                item["title"] = f"{stem} 证明材料 第{n + 1}份"
            items.append(item)
        return items

    def measure(self, stem: str, extra: dict | None = None) -> dict:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return {"done": False}
        out = {"done": True}
        if rng.random() < 0.8:
            out["date"] = _day(self.start + timedelta(days=rng.randint(-60, 300)))
        if roll > 0.3:
            out["evidence"] = self.evidence(stem)
        if rng.random() < 0.25:
            out["note"] = rng.choice(NOTES)
        out.update(extra or {})
        return out

    def build(self) -> dict:
        rng = self.rng
        place = rng.choice(PLACE_WORDS)
        end = self.start + timedelta(days=rng.randint(120, 400))
        dates = {"design_start": _day(self.start - timedelta(days=rng.randint(60, 200))),
                 "construction_start": _day(self.start), "construction_end": _day(end),
                 "operation_start": _day(end + timedelta(days=rng.randint(1, 40))),
                 "report_date": None}  # set in build(), after every other date is known
        construction = {}
        for name in CONSTRUCTION_MEASURES:
            extra = {
                "plan_notice": {"channels": rng.sample(["notice_board", "door_to_door", "online_group",
                                                        "briefing_session"], rng.randint(1, 3))},
                "disturbance_mitigation": {"methods": rng.sample(["cross_operation", "flow_line", "quiet_hours",
                                                                  "staged_by_building"], rng.randint(1, 3))},
                "quality_supervision": {"whole_process": rng.random() < 0.8},
                "household_files": {"coverage": round(rng.uniform(0.5, 1.0), 2)},
                "resident_consultation": {"design_adjusted": rng.random() < 0.7},
                "site_meetings": {"interval_days": rng.choice([7, 7, 14, 30])},
                "resident_observers": {"count": rng.randint(0, 12)},
            }.get(name)
            construction[name] = self.measure(name, extra)
        received = rng.randint(0, 200)
        construction["complaints"] = {"received": received, "resolved": rng.randint(0, received)}
        operations = {"mode": rng.choice(["professional", "community_trusteeship", "social_organization",
                                          "owner_self_management"]),
                      "operator": f"{place}物业服务有限公司"}
        for name in OPERATIONS_MEASURES:
            operations[name] = self.measure(name)
        operations["new_facilities"] = [
            {"name": f"{rng.choice(FACILITY_NAMES)}{n + 1}号", "operator": f"{place}物业服务有限公司",
             "maintenance_arranged": rng.random() < 0.85}
            for n in range(rng.randint(4, 10))]
        operations["smart_facilities"] = [
            {"kind": name, "installed": True, "in_basic_package": rng.random() < 0.6,
             "maintainer": f"{place}物业服务有限公司", "maintenance_contract": self.measure(name)}
            for name in rng.sample(SMART, rng.randint(2, 5))]
        governance = {name: self.measure(name) for name in GOVERNANCE_MEASURES}
        governance["convention"] = self.measure("convention", {
            "covers": {"property_management": True, "public_facilities": rng.random() < 0.8,
                       "environment": rng.random() < 0.8, "community_activities": rng.random() < 0.6},
            "rights_and_duties": {"owners": True, "tenants": rng.random() < 0.6, "property_company": True}})
        governance["actors"] = {"residents": True, "social_organizations": rng.random() < 0.5,
                                "property_company": True, "property_right_units": rng.random() < 0.5,
                                "volunteers": rng.random() < 0.7}
        governance["plan_approvals"] = [
            {"plan": f"{place}改造方案第{n + 1}稿", "approval_share": round(rng.uniform(0.4, 0.98), 2),
             "date": _day(self.start - timedelta(days=rng.randint(10, 90))), "adopted": rng.random() < 0.8,
             "works_start": _day(self.start)}
            for n in range(rng.randint(2, 6))]
        governance["regular_meeting"] = self.measure("regular_meeting", {"interval_days": rng.choice([7, 14, 30]),
                                                                         "meetings_held": rng.randint(0, 30)})
        evaluation = {"comprehensive_evaluation": self.measure("comprehensive_evaluation", {
                          "by": f"{place}城市规划设计研究院", "professional_body": rng.random() < 0.8}),
                      "facility_use_rate": round(rng.uniform(0.3, 1.0), 2),
                      "satisfaction_rate": round(rng.uniform(0.5, 1.0), 2),
                      "report": self.measure("report", {"resident_feedback": rng.random() < 0.8,
                                                        "expert_opinion": rng.random() < 0.7})}
        for name in EVALUATION_MEASURES:
            evaluation[name] = self.measure(name)
        data = {
            "schema_version": 1,
            "project": {"id": f"BENCH-{self.index:05d}", "name": f"{place}小区综合整治({self.index}号)",
                        "district": rng.choice(DISTRICTS), "street": f"{place}街道", "community": f"{place}社区",
                        "phase": rng.choice(PHASES), "dates": dates},
            "community": {"households": rng.randint(80, 4000), "buildings": rng.randint(2, 60),
                          "floor_area_m2": round(rng.uniform(5000, 300000), 1), "year_built": rng.randint(1955, 1999),
                          "property_right": rng.choice(["央产", "市属", "区属", "私产", "混合"]),
                          "base_condition": rng.choice(["good", "fair", "poor"]),
                          "current_property_service": rng.choice(["none", "professional", "community_trusteeship",
                                                                  "social_organization", "owner_self_management",
                                                                  "unit_managed"]),
                          "fee_collection_rate": round(rng.uniform(0.2, 1.0), 2),
                          "owners_committee": rng.random() < 0.5,
                          "resident_participation_rate": round(rng.uniform(0.1, 0.9), 2),
                          "self_governance_willingness": rng.choice(["strong", "moderate", "weak"]),
                          "young_middle_aged_share": round(rng.uniform(0.1, 0.6), 2)},
            "construction": construction, "operations": operations, "governance": governance,
            "evaluation": evaluation,
        }
        # The gate refuses a report_date before a date the dossier reports as past, or after the judgement date.
        latest = max([end] + [date.fromisoformat(d) for d in _dates_in(data)])
        dates["report_date"] = _day(min(latest + timedelta(days=rng.randint(0, 90)), LATEST_REPORT_DATE))
        return data


def dossier(seed: int, index: int) -> dict:
    return _Dossier(random.Random(f"{seed}/{index}"), index).build()


def render(data: dict, index: int) -> str:
    header = f"# Synthetic benchmark dossier {index} (bench/generate.py); invented data.\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def write(directory: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` dossiers into ``directory`` (created); returns their paths in order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"dossier-{index:05d}.yaml"
        path.write_text(render(dossier(seed, index), index), encoding="utf-8")
        paths.append(path)
    return paths
