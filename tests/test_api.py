from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import builder
from builder import errors
from builder.models import Rejection, VerifyProblem, VerifyReport


def test_public_api_is_explicit_and_importable():
    assert sorted(builder.__all__) == [
        "Article",
        "ArticleMetadata",
        "BuildConfig",
        "BuildManifest",
        "BuildReport",
        "Claim",
        "ClaimMatch",
        "CleanConfig",
        "ConfigError",
        "DatasetMeta",
        "DatasetSummary",
        "DistError",
        "ExtractConfig",
        "FactCheck",
        "FactCheckMatch",
        "FactpackError",
        "IngestConfig",
        "InputError",
        "InvalidArticlesError",
        "LabelError",
        "MatchConfig",
        "MatchFitReport",
        "MatchRankReport",
        "MatchScoreReport",
        "OutputError",
        "PublishConfig",
        "PublishError",
        "Rejection",
        "ScoreReport",
        "StandaloneReport",
        "ValidateConfig",
        "ValidationReport",
        "VerificationError",
        "VerifyProblem",
        "VerifyReport",
        "__version__",
        "build",
        "check",
        "check_worthiness",
        "export_claimreview",
        "export_label_studio",
        "fit_model",
        "fit_pairs",
        "import_label_studio",
        "inspect_dataset",
        "publish_to_hub",
        "rank_queries",
        "read_factchecks",
        "score_file",
        "score_pairs",
        "score_text",
        "standalone_file",
        "standalone_text",
        "verify_dataset",
        "write_schemas",
        "write_site",
    ]
    for name in builder.__all__:
        value = getattr(builder, name)
        assert name == "__version__" or value.__module__.startswith("builder."), name


def test_every_public_name_of_the_package_is_in_all():
    # The one list is __all__: whatever the package exposes beyond its submodules must be in it, and only that.
    submodules = {name for name, value in vars(builder).items() if type(value) is type(builder)}
    public = {name for name in vars(builder) if not name.startswith("_") and name not in submodules}
    assert public | {"__version__"} == set(builder.__all__)


EXIT_CODES = {
    "FactpackError": 2,
    "ConfigError": 2,
    "InputError": 1,
    "InvalidArticlesError": 1,
    "LabelError": 1,
    "OutputError": 1,
    "DistError": 1,
    "PublishError": 1,
    "VerificationError": 1,
}
"""Every error class of the library and the exit code the command line gives it (README: 1 for a problem of the
input, the folder or the Hub, 2 for an option or path that cannot be used)."""


def test_errors_share_one_root():
    defined = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == errors.__name__
    }
    assert defined == set(EXIT_CODES) == set(errors.__all__)
    assert set(EXIT_CODES) <= set(builder.__all__)
    for name, code in EXIT_CODES.items():
        cls = getattr(errors, name)
        assert issubclass(cls, builder.FactpackError) and getattr(builder, name) is cls
        assert cls.exit_code == code, name


def test_the_tree_drawn_in_errors_py_gives_each_class_its_exit_code():
    drawn = dict(re.findall(r"^ *(?:[├└]── )?(\w+Error) +exit (\d)", errors.__doc__ or "", re.MULTILINE))
    assert drawn["FactpackError"] == "2" and set(drawn) == set(EXIT_CODES)
    assert {name: int(code) for name, code in drawn.items()} == {name: EXIT_CODES[name] for name in drawn}


REJECTION = Rejection(
    file="articles/a.json",
    loc="published",
    reason="2099-01-01 is in the future",
    stage="validate",
    article="articles/a.txt",
)
PROBLEM = VerifyProblem(code="hash-mismatch", file="README.md", field="sha256", note="differs")


def _failure(name: str) -> errors.FactpackError:
    if name in ("InvalidArticlesError", "LabelError"):
        return getattr(errors, name)([REJECTION, REJECTION])
    if name == "VerificationError":
        report = VerifyReport(dist="dist", ok=False, problems=[PROBLEM], found=1, truncated=False, checked={})
        return errors.VerificationError(report, "dist does not verify", "rebuild it")
    return getattr(errors, name)(f"dist: a {name} happened; do the fix")


@pytest.mark.parametrize("name", sorted(EXIT_CODES))
def test_the_command_line_turns_each_error_into_one_line_and_its_exit_code(name, monkeypatch, tmp_path):
    import builder.inspect
    from builder.cli import app

    error = _failure(name)

    def fail(dist):
        raise error

    monkeypatch.setattr(builder.inspect, "inspect_dataset", fail)
    result = CliRunner().invoke(app, ["inspect", str(tmp_path)])
    assert result.exit_code == EXIT_CODES[name]
    assert result.stdout == "" and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[-1] == f"error: {error}" and "\n" not in str(error)
    # Errors about several things list each on a line of its own before that one line.
    details = {"InvalidArticlesError": [str(REJECTION)] * 2, "LabelError": [str(REJECTION)] * 2}
    assert lines[:-1] == details.get(name, [str(PROBLEM)] if name == "VerificationError" else [])


def test_importing_the_library_does_not_import_datasets_or_pyarrow():
    code = (
        "import sys, builder, builder.pipeline, builder.cli; print('datasets' in sys.modules, 'pyarrow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"


def test_version_matches_the_distribution():
    from importlib.metadata import version

    assert builder.__version__ == version("factpack")
