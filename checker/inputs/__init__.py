"""Reading files safely: YAML with positions and limits, the bundled resources, evidence files.

May import: checker.text, checker.i18n, checker.model.
"""
