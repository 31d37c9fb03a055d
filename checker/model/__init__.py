"""What every layer speaks: Problem, Wording and the exceptions; Finding, DossierResult, outcomes and forces.

May import: checker.text, checker.i18n.
"""
