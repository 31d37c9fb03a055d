"""Text for each medium: dossier text made inert (terminal, CI log, Markdown, HTML, XML), indented JSON written fast.

May import: the standard library only (the lowest layer).
"""
