"""The condition language: syntax, quantifiers, fact projection, three-valued leaf evaluation.

May import: checker.text, checker.i18n, checker.model, checker.inputs, checker.schema.
"""
