"""durable-rules: the compiler, the C-core session driver (forked isolation, time limit), limits, safety checks.

May import: the layers below (text, i18n, model, inputs, schema, lang).
"""
