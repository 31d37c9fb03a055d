"""Checking dossiers: the pipeline, review date, waivers, baseline, diff, batch, gate config, signals; and the
rule examples run through the pipeline. May import: the layers below (text … modes).
"""
