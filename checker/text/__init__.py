"""Dossier text made inert for each medium it is shown in (terminal, CI log, Markdown, HTML, XML).

May import: the standard library only (the lowest layer).
"""
