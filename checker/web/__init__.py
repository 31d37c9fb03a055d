"""The workbench (``renovcheck serve``): a local web page for reviewers and planners over the same library.
May import: the layers below (text … report); only checker.cli imports it.

    workbench.py  the served dossiers, checked and recommended once per content (cache by SHA-256), in parallel
    security.py   host check, access token, CSRF, paths confined to the served folders, strict headers
    app.py        the pages: portfolio, dossier (the HTML report's own section), source, rule
    texts.py      every text in zh and en (added to checker/i18n/messages.py's table)

Needs the optional dependencies of the ``web`` extra (Starlette, uvicorn, Jinja2); nothing else imports this
package, so ``renovcheck check`` never loads them.
"""
