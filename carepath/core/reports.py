"""The reports ``carepath report <name>`` writes, registered by the apps that own them.

An app registers each of its reports from its ``AppConfig.ready()`` (as it registers its
queues and record types in ``core.access``): the subcommand's name, one line of help, its
arguments and the function that writes it. ``core`` knows none of them by name.
"""

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass


class ReportError(Exception):
    """What the person running the report must put right: printed as it is, exit non-zero."""


@dataclass(frozen=True)
class Report:
    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    #: Writes the report from the parsed options; returns the line to print.
    run: Callable[..., str]


registry: dict[str, Report] = {}


def register_report(report: Report) -> None:
    registry[report.name] = report
