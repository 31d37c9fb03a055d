"""Management-mode recommendation (issue 4): which of the four property-service modes fits a community.
May import: the layers below (text, i18n, model, inputs, schema, lang, engine, rulebook).

The data flow, one module per step:

    ../rulebook/modebook.py  rules/modes.yaml → ModeBook (validated against schemas/modes.schema.json,
                             cross-checked; rules may name its facts, so it belongs to the rulebook), MODE_IDS
    compile.py    statements (facts, mode fits, obligations) → one durable-rules ruleset with joins
    chain.py      forward chaining in durable-rules: dossier fact in, derived facts out, nothing left behind
    explain.py    the chains that decided each statement, read leaf by leaf (never re-deciding them)
    recommend.py  Recommender: dossier → Recommendation (fits, ranking, obligations, missing facts)
    whatif.py     --set PATH=VALUE on a copy of the dossier
"""
