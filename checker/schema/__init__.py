"""JSON Schema: validation of dossiers and rule files, field hints, the schema index, the dossier template.

May import: checker.text, checker.i18n, checker.model, checker.inputs.
"""
