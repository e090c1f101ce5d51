"""factpack: turn a folder of raw news articles into a provenance-exact claims dataset.

The public API is what ``__all__`` lists; everything is importable from ``builder`` directly::

    from builder import BuildConfig, build, verify_dataset
    report = build(BuildConfig(raw_dir=Path("raw"), out_dir=Path("dist")))
    assert verify_dataset(Path("dist"), raw=Path("raw")).ok

Heavy dependencies (``datasets``, ``pyarrow``) are imported only where they are used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "build": "builder.pipeline",
    "check": "builder.pipeline",
    "inspect_dataset": "builder.inspect",
    "write_schemas": "builder.schemas",
    "verify_dataset": "builder.verify",
    "publish_to_hub": "builder.hub",
    "write_site": "builder.review",
    "export_claimreview": "builder.export",
    "export_label_studio": "builder.export",
    "import_label_studio": "builder.export",
    "DatasetMeta": "builder.models",
    "VerifyReport": "builder.models",
    "VerifyProblem": "builder.models",
    "PublishError": "builder.errors",
    "VerificationError": "builder.errors",
    "BuildConfig": "builder.config",
    "CleanConfig": "builder.config",
    "ExtractConfig": "builder.config",
    "IngestConfig": "builder.config",
    "PublishConfig": "builder.config",
    "ValidateConfig": "builder.config",
    "Article": "builder.models",
    "ArticleMetadata": "builder.models",
    "BuildManifest": "builder.models",
    "BuildReport": "builder.models",
    "Claim": "builder.models",
    "Rejection": "builder.models",
    "ValidationReport": "builder.models",
    "DatasetSummary": "builder.models",
    "FactpackError": "builder.errors",
    "ConfigError": "builder.errors",
    "DistError": "builder.errors",
    "InputError": "builder.errors",
    "InvalidArticlesError": "builder.errors",
    "LabelError": "builder.errors",
    "OutputError": "builder.errors",
}

__all__ = [
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
    "ValidateConfig",
    "ValidationReport",
    "VerificationError",
    "VerifyProblem",
    "VerifyReport",
    "__version__",
    "build",
    "check",
    "export_claimreview",
    "export_label_studio",
    "import_label_studio",
    "inspect_dataset",
    "publish_to_hub",
    "verify_dataset",
    "write_schemas",
    "write_site",
]

if TYPE_CHECKING:
    from builder.config import (
        BuildConfig,
        CleanConfig,
        ExtractConfig,
        IngestConfig,
        PublishConfig,
        ValidateConfig,
    )
    from builder.errors import (
        ConfigError,
        DistError,
        FactpackError,
        InputError,
        InvalidArticlesError,
        LabelError,
        OutputError,
        PublishError,
        VerificationError,
    )
    from builder.export import export_claimreview, export_label_studio, import_label_studio
    from builder.hub import publish_to_hub
    from builder.inspect import inspect_dataset
    from builder.models import (
        Article,
        ArticleMetadata,
        BuildManifest,
        BuildReport,
        Claim,
        DatasetMeta,
        DatasetSummary,
        Rejection,
        ValidationReport,
        VerifyProblem,
        VerifyReport,
    )
    from builder.pipeline import build, check
    from builder.review import write_site
    from builder.schemas import write_schemas
    from builder.verify import verify_dataset


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'builder' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return list(__all__)
