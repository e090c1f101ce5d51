from __future__ import annotations

import subprocess
import sys

import builder


def test_public_api_is_explicit_and_importable():
    assert sorted(builder.__all__) == [
        "Article",
        "ArticleMetadata",
        "BuildConfig",
        "BuildManifest",
        "BuildReport",
        "Claim",
        "CleanConfig",
        "ConfigError",
        "DatasetMeta",
        "DatasetSummary",
        "DistError",
        "ExtractConfig",
        "FactpackError",
        "IngestConfig",
        "InputError",
        "InvalidArticlesError",
        "LabelError",
        "OutputError",
        "PublishConfig",
        "PublishError",
        "Rejection",
        "ScoreReport",
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
        "import_label_studio",
        "inspect_dataset",
        "publish_to_hub",
        "score_file",
        "score_text",
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


def test_errors_share_one_root():
    for name in ("ConfigError", "DistError", "InputError", "InvalidArticlesError", "LabelError", "OutputError"):
        assert issubclass(getattr(builder, name), builder.FactpackError)


def test_importing_the_library_does_not_import_datasets_or_pyarrow():
    code = (
        "import sys, builder, builder.pipeline, builder.cli; print('datasets' in sys.modules, 'pyarrow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"


def test_version_matches_the_distribution():
    from importlib.metadata import version

    assert builder.__version__ == version("factpack")
