"""Management-mode recommendation (issue 4): which of the four property-service modes fits a community.

The data flow, one module per step:

    book.py       rules/modes.yaml → ModeBook (validated against schemas/modes.schema.json, cross-checked)
    compile.py    statements (facts, mode fits, obligations) → one durable-rules ruleset with joins
    chain.py      forward chaining in durable-rules: dossier fact in, derived facts out, nothing left behind
    explain.py    the chains that decided each statement, read leaf by leaf (never re-deciding them)
    recommend.py  Recommender: dossier → Recommendation (fits, ranking, obligations, missing facts)
    whatif.py     --set PATH=VALUE on a copy of the dossier

The four mode ids, used everywhere (JSON, tests, docs):
"""
from __future__ import annotations

MODE_IDS = ("professional", "community_trusteeship", "social_organization", "owner_self_management")
FITS = ("recommended", "permitted", "possible", "not_advised")
