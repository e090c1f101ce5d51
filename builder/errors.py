"""The one exception tree of factpack.

Every error the library raises on purpose derives from :class:`FactpackError`; the CLI maps it to a
one-line message on stderr and the exit code the class carries. Messages name the file and say how to fix it.

::

    FactpackError                      exit 2  anything factpack refuses to do
     ├── ConfigError                   exit 2  an option or path given to factpack is unusable
     ├── InputError                    exit 1  the raw folder itself cannot be read (missing, empty)
     ├── InvalidArticlesError          exit 1  one or more articles failed validation (carries every Rejection)
     ├── LabelError                    exit 1  labels.jsonl has bad lines, or labels that anchor nowhere
     ├── OutputError                   exit 1  the output folder cannot be written or swapped in
     ├── DistError                     exit 1  a built dataset folder is missing or not a factpack dataset
     ├── VerificationError             exit 1  a dataset folder does not verify (carries the VerifyReport)
     └── PublishError                  exit 1  the Hub refused or failed an upload; nothing was published

Bad *articles* are not exceptions: they are :class:`builder.models.Rejection` records. Only when the caller
asked for a strict build do they become one :class:`InvalidArticlesError` listing all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.models import Rejection, VerifyReport

__all__ = [
    "ConfigError",
    "DistError",
    "FactpackError",
    "InputError",
    "InvalidArticlesError",
    "LabelError",
    "OutputError",
    "PublishError",
    "VerificationError",
]


class FactpackError(Exception):
    """Root of every error factpack raises on purpose."""

    exit_code = 2


class ConfigError(FactpackError):
    """An option or a path given to factpack cannot be used."""


class InputError(FactpackError):
    """The raw folder cannot be read as a whole."""

    exit_code = 1


class InvalidArticlesError(FactpackError):
    """Articles (or published fact-checks under ``raw/factchecks/``) failed validation and the build was strict."""

    exit_code = 1

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        self.rejections = list(rejections)
        files = sorted({r.file for r in self.rejections})
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        super().__init__(
            f"{len(self.rejections)} problem(s) in {len(files)} file(s): {shown}; "
            "fix them, or build with --skip-invalid to publish without those inputs"
        )


class LabelError(FactpackError):
    """Curators' labels could not all be merged."""

    exit_code = 1

    def __init__(self, problems: Sequence[Rejection]) -> None:
        self.rejections = list(problems)
        lines = ", ".join(str(p.line) for p in self.rejections[:5]) + (" …" if len(self.rejections) > 5 else "")
        super().__init__(
            f"{len(self.rejections)} label(s) could not be merged (lines {lines}); fix them, or build with "
            "--allow-orphan-labels when the only problem is labels whose claims are gone"
        )


class OutputError(FactpackError):
    """The output folder cannot be written or swapped in."""

    exit_code = 1


class DistError(FactpackError):
    """A dataset folder is missing or is not a factpack dataset."""

    exit_code = 1


class PublishError(FactpackError):
    """The Hub refused or failed an upload; the commit is atomic, so nothing was published."""

    exit_code = 1


class VerificationError(FactpackError):
    """A dataset folder does not verify; ``report`` lists every problem found."""

    exit_code = 1

    def __init__(self, report: VerifyReport, what: str, fix: str) -> None:
        self.report = report
        first = str(report.problems[0]) if report.problems else "no detail"
        more = f" and {report.found - 1} more" if report.found > 1 else ""
        super().__init__(f"{what}: {first}{more}; {fix}")
