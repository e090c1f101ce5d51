"""factpack: turn a folder of raw news articles into a provenance-exact claims dataset.

The public API is what ``__all__`` lists; everything is importable from ``builder`` directly::

    from builder import BuildConfig, build, verify_dataset
    report = build(BuildConfig(raw_dir=Path("raw"), out_dir=Path("dist")))
    assert verify_dataset(Path("dist"), raw=Path("raw")).ok

Heavy dependencies (``datasets``, ``pyarrow``, ``ray``) are imported only where they are used, so importing
the package stays light.
"""

from builder.config import (
    BuildConfig,
    CleanConfig,
    ExtractConfig,
    IngestConfig,
    MatchConfig,
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
from builder.export import export_claimreview
from builder.extract.worthiness import check_worthiness
from builder.factchecks import read_factchecks
from builder.hub_upload import publish_to_hub
from builder.inspect import inspect_dataset
from builder.labels import export_label_studio, import_label_studio
from builder.matching import fit_pairs, rank_queries, score_pairs
from builder.models import (
    Article,
    ArticleMetadata,
    BuildManifest,
    BuildReport,
    Claim,
    ClaimMatch,
    DatasetMeta,
    DatasetSummary,
    FactCheck,
    FactCheckMatch,
    MatchFitReport,
    MatchRankReport,
    MatchScoreReport,
    Rejection,
    ScoreReport,
    StandaloneReport,
    ValidationReport,
    VerifyProblem,
    VerifyReport,
)
from builder.pipeline import build, check
from builder.review import write_site
from builder.schemas import write_schemas
from builder.standalone import standalone_file, standalone_text
from builder.verify import verify_dataset
from builder.version import __version__
from builder.worthiness import fit_model, score_file, score_text

__all__ = [
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
