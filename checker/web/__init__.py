"""The workbench (``renovcheck serve``): a local web page for reviewers and planners over the same library.
May import: the layers below (text … report); only checker.cli imports it.

    workbench.py  the served dossiers, checked and recommended once per content (cache by SHA-256), in parallel
    security.py   host check, access token, CSRF, paths confined to the served folders, strict headers
    pages.py      what every page shares: rendering, 404 and CSRF refusal, POST routes, the report context
    app.py        the pages: portfolio, dossier (the HTML report's own section), source, rule
    desk.py       the reviewer's desk: manual-review checklist and waiver grants
    planner.py    what-if for planners: the mode book's facts and thresholds as a form
    editor.py     the dossier form (new and edit), generated from the dossier schema
    forms.py      form fields from the schema, values read as --set reads them, messages at their field
    yamledit.py   changing a YAML file with its comments, order and quoting kept
    texts.py      every text in zh and en (added to checker/i18n/messages.py's table)

Needs the optional dependencies of the ``web`` extra (Starlette, uvicorn, Jinja2); nothing else imports this
package, so ``renovcheck check`` never loads them.
"""
