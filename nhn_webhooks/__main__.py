"""``python -m nhn_webhooks``: the command-line tool."""

from ._cli import main

raise SystemExit(main())
