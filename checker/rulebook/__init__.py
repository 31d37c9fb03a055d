"""The rulebook: rules, the mode book, the one parameter registry, profiles, lint, the guide catalogue and coverage,
rule pages. May import: the layers below (text … engine).
"""
