"""The message catalogue: every user-facing text in zh (default) and en.

May import: checker.text.
"""
