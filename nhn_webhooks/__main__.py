"""``python -m nhn_webhooks``: the command-line tool."""

from ._cli._main import main

raise SystemExit(main())
