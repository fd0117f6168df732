"""The list of commands in ``_cli/_main.py``: every command module is in it, and each
registers one subparser that runs the module's own ``run``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil

import nhn_webhooks._cli
from nhn_webhooks._cli import _main


def test_each_listed_module_registers_one_command_that_runs_its_own_run() -> None:
    (commands,) = [
        action
        for action in _main._parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    ]
    runs = [parser.get_default("run") for parser in commands.choices.values()]
    assert runs == [module.run for module in _main.COMMANDS]


def test_every_module_with_add_and_run_is_in_the_list_of_commands() -> None:
    modules = [
        importlib.import_module(f"nhn_webhooks._cli.{info.name}")
        for info in pkgutil.iter_modules(nhn_webhooks._cli.__path__)
    ]
    commands = {module for module in modules if hasattr(module, "add") and hasattr(module, "run")}
    assert commands == set(_main.COMMANDS)
