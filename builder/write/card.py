"""The dataset card: ``card.md`` (a ``string.Template``) filled by small pure render functions."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from pydantic import BaseModel

from builder.card_metadata import size_category
from builder.extract.worthiness_model import WorthinessModel
from builder.models import CueKind, DatasetMeta, Rejection, SpeakerType
from builder.models.reports import StrippedCredentials, UnevenSplit
from builder.urls import rule
from builder.write.quality import Accuracy, CorpusQuality, HandCheck, QualityRecord, QualityTable

__all__ = [
    "TAGS",
    "CardFacts",
    "ConfigCard",
    "SplitCard",
    "StandaloneCounts",
    "render_about",
    "render_card",
    "render_credentials",
    "render_dropped",
    "render_feature_type",
    "render_fields",
    "render_front_matter",
    "render_labels",
    "render_license",
    "render_quality",
    "render_quality_table",
    "render_rejections",
    "render_standalone",
    "render_table",
    "render_uneven_splits",
]

# The Hub tags of the card, also the Croissant keywords.
TAGS = ("fact-checking", "claim-detection", "news", "provenance")


@dataclass(frozen=True)
class SplitCard:
    """One split of a config: its name, files glob, rows and Arrow bytes."""

    name: str
    path_glob: str
    num_rows: int
    num_bytes: int


@dataclass(frozen=True)
class ConfigCard:
    """One published config: its name, splits, and features (YAML list form)."""

    name: str
    splits: list[SplitCard]
    features_yaml: list[dict[str, Any]]
    model: type[BaseModel]

    @property
    def num_rows(self) -> int:
        return sum(split.num_rows for split in self.splits)


@dataclass(frozen=True)
class StandaloneCounts:
    """Claims with a replacement, replacements per kind (``pronoun``, ``name``, ``description``), claims whose
    third-person reference stayed unresolved."""

    resolved: int
    kinds: dict[str, int]
    needs_context: int


@dataclass(frozen=True)
class CardFacts:
    """Everything the card states, computed by the pipeline from the data it wrote."""

    meta: DatasetMeta
    citation: str
    languages: list[str]
    configs: list[ConfigCard]
    articles_seen: int
    articles_rejected: int
    outlets: list[tuple[str, int, int]]
    field_sources: list[tuple[str, int, int, int]]
    excluded_kinds: list[tuple[str, int]]
    claim_types: list[tuple[str, int]]
    speakers: list[tuple[str, int]]
    splits: list[tuple[str, int, int]]
    split_rule: str
    cluster_rule: str
    clusters: list[tuple[str, int]]
    rejections: list[Rejection]
    worthiness: WorthinessModel | None = None
    """The fitted model that gave ``check_worthiness``, when the raw folder had one."""
    credentials: StrippedCredentials = field(default_factory=StrippedCredentials)
    """What the URL rule took out of the articles' URLs."""
    uneven_splits: Sequence[UnevenSplit] = ()
    """Splits that came out empty or far from their ratio, and why."""
    match_rule: str = ""
    """How claims were matched, and how well (see the matches config)."""
    matches: list[tuple[str, int]] = field(default_factory=list)
    fields_dropped: int = 0
    """Metadata fields dropped from kept articles (``--drop-bad-metadata``)."""
    standalone: StandaloneCounts = field(default_factory=lambda: StandaloneCounts(0, {}, 0))
    """How many claims got replacements in ``standalone``, of which kind, and how many need context."""
    quality: QualityRecord = field(default_factory=QualityRecord)
    """The extractor's measured quality (``builder/write/quality.json``)."""


def render_front_matter(facts: CardFacts) -> str:
    """The YAML metadata block (without the ``---`` fences), as the Hub and ``datasets`` read it."""
    from huggingface_hub import DatasetCardData

    default = facts.configs[0].num_rows if facts.configs else 0
    meta = facts.meta
    data = DatasetCardData(
        language=facts.languages or None,
        license=meta.license,
        license_name=meta.license_name,
        license_link=meta.license_link,
        pretty_name=meta.pretty_name,
        size_categories=[size_category(default)],
        task_categories=["text-classification"],
        tags=list(TAGS),
        configs=[
            {
                "config_name": config.name,
                "data_files": [{"split": split.name, "path": split.path_glob} for split in config.splits],
                **({"default": True} if index == 0 else {}),
            }
            for index, config in enumerate(facts.configs)
        ],
        dataset_info=[
            {
                "config_name": config.name,
                "features": config.features_yaml,
                "splits": [
                    {"name": split.name, "num_bytes": split.num_bytes, "num_examples": split.num_rows}
                    for split in config.splits
                ],
            }
            for config in facts.configs
        ],
    )
    yaml: str = data.to_yaml()
    return yaml


def render_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; ``|`` in cells is escaped."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def render_feature_type(feature: Any) -> str:
    """A short human name of a YAML-form feature: ``string``, ``class label (a, b)``, ``list of {…}``."""
    if isinstance(feature, list):
        inner = ", ".join(f"{part['name']}: {render_feature_type(_yaml_type(part))}" for part in feature)
        return "{" + inner + "}"
    if isinstance(feature, dict) and "class_label" in feature:
        return "class label (" + ", ".join(feature["class_label"]["names"].values()) + ")"
    if isinstance(feature, dict) and "list" in feature:
        return "list of " + render_feature_type(feature["list"])
    return str(feature)


def _yaml_type(entry: dict[str, Any]) -> Any:
    if "dtype" in entry:
        return entry["dtype"]
    if "list" in entry:
        return {"list": entry["list"]}
    return entry.get("struct", entry)


def render_fields(config: ConfigCard) -> str:
    """The field table of a config: name, type, and the description written on the model."""
    rows = []
    for entry in config.features_yaml:
        description = config.model.model_fields[entry["name"]].description or ""
        rows.append((f"`{entry['name']}`", render_feature_type(_yaml_type(entry)), description))
    return render_table(("field", "type", "meaning"), rows)


CUE_KINDS: dict[CueKind, str] = {
    CueKind.SPEECH: "words said, written or published: *said*, *told*, *wrote*, *announced*, *denied*, *according "
    "to*, a report that *found*; an interview answer",
    CueKind.BELIEF: "what the source thinks, knows or stands for, said or not: *thinks*, *believes*, *expects* "
    '("analysts expect rates to rise"), *fears*, *opposes*',
    CueKind.INTENTION: "what the source means or refuses to do: *plans to*, *wants to*, *hopes*, *refused to*, "
    '*vowed to* ("vowed to cut taxes"; "vowed that taxes would fall" is speech)',
}
"""What each ``cue_kind`` means, with examples: the card's definitions."""

SPEAKER_TYPES: dict[SpeakerType, str] = {
    SpeakerType.PERSON: 'one person: a name ("Jens Stoltenberg", "Mr Kelly"), a singular role ("the mayor", '
    '"a spokesman"), or "he", "she", "I"',
    SpeakerType.ORGANISATION: 'a body speaking as one: a company, ministry, party, court or news agency ("Acme '
    'Corp", "the Justice Department", "the White House", "NATO"), "it", or a document it issued ("a report")',
    SpeakerType.GROUP: 'several people speaking together: "analysts", "officials", "Democrats", "they"',
}
"""What each ``speaker_type`` means, with examples."""


def render_labels(meanings: dict[Any, str]) -> str:
    """A Markdown list of class labels in their pinned order, each with what it means."""
    return "\n".join(f"- `{label.value}`: {meaning}." for label, meaning in meanings.items())


def render_rejections(rejections: Sequence[Rejection]) -> str:
    """The rejected inputs and the fields dropped from kept articles, one line each, or a sentence saying there
    were none."""
    if not rejections:
        return "No input was rejected."
    return render_table(
        ("file", "line", "field", "reason", "article"),
        [(r.file, r.line if r.line is not None else "", r.loc or "(file)", r.reason, _outcome(r)) for r in rejections],
    )


def _outcome(rejection: Rejection) -> str:
    return "kept, this field dropped" if rejection.kept else "rejected"


def render_dropped(fields_dropped: int) -> str:
    """The summary line's count of dropped fields, when a field was dropped."""
    if not fields_dropped:
        return ""
    return f"; {fields_dropped} metadata field{'s' if fields_dropped != 1 else ''} dropped from kept articles"


def render_about(meta: DatasetMeta) -> str:
    """The curated description and who made the dataset, or nothing when ``dataset.json`` says neither."""
    parts = [meta.description.strip()] if meta.description else []
    if meta.creators:
        names = [f"[{c.name}]({c.url})" if c.url else c.name for c in meta.creators]
        parts.append("Curated by " + ", ".join(names) + ".")
    if meta.homepage:
        parts.append(f"Home page: <{meta.homepage}>.")
    return "\n\n".join(parts) + "\n\n" if parts else ""


def render_license(meta: DatasetMeta) -> str:
    """The licence as the card states it: the Hub id, with the curated name and link when given."""
    text = f"`{meta.license}`"
    if meta.license_name:
        text += f" ({meta.license_name})"
    if meta.license_link:
        text += f", terms at <{meta.license_link}>"
    return text


def render_worthiness(model: WorthinessModel | None) -> str:
    """Which score ``check_worthiness`` holds in this dataset, and how it was measured."""
    if model is None:
        return "In this dataset `check_worthiness` is that rule score."
    quality, training = model.quality, model.training
    by_document = ""
    if quality.get("cv_map") is not None:
        by_document = f", MAP {quality['cv_map']:.3f} over held-out documents (the rules: {quality['rules_map']:.3f})"
    settings = model.settings
    classes = "balanced" if settings["balanced"] else "as they come"
    return (
        "In this dataset `check_worthiness` is the score of a model the curators fitted on their own labels "
        f"(`factpack worthiness fit`; SHA-256 `{model.sha256}`; {training['examples']} labelled texts, "
        f"{training['positives']} check-worthy). Cross-validated in {quality['folds']} folds: average precision "
        f"{quality['cv_ap']:.3f} (the rules: {quality['rules_ap']:.3f}){by_document}, at the settings the "
        f"cross-validation chose (L2 {settings['l2']:g}, classes {classes}, neighbours {settings['neighbours']:g}). "
        f"The claims' `extractor` ends in `+model-{model.sha256[:12]}`."
    )


def render_standalone(counts: StandaloneCounts, claims: int) -> str:
    """What the resolver did in this build: claims with replacements, of which kinds, and claims that need context."""
    if not claims:
        return "This build has no claims."
    kinds = ", ".join(f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in counts.kinds.items() if count)
    share = f"{counts.resolved} of {claims} claims ({counts.resolved / claims:.0%})"
    done = f"In this build {share} got replacements ({kinds})" if counts.resolved else "In this build no claim got one"
    verb = "is" if counts.needs_context == 1 else "are"
    return f"{done}; {counts.needs_context} {verb} marked `needs_context`."


def render_credentials(stripped: StrippedCredentials) -> str:
    """The URL rule, and what it took out in this build: counts and parameter names, never a value."""
    if not stripped.urls:
        found = "No article URL of this build carried one."
    else:
        what = [f"{stripped.logins} login{'s' if stripped.logins != 1 else ''}"] if stripped.logins else []
        what += [f"`{name}` in {count}" for name, count in stripped.parameters.items()]
        urls = f"{stripped.urls} article URL{'s' if stripped.urls != 1 else ''}"
        found = f"In this build {urls} lost credentials: " + ", ".join(what) + "."
    return f"Credentials are never published. {rule()}. {found}"


def render_uneven_splits(uneven: Sequence[UnevenSplit]) -> str:
    """A paragraph (after the split rule) naming each split that came out empty or far from its ratio and why;
    nothing when every split is close to its ratio."""
    if not uneven:
        return ""
    lines = [f"- `{split.split}` {split.outcome()}: {split.why}." for split in uneven]
    return (
        "\n\n**Uneven splits**: whole groups could not meet the ratios in this build (a split is reported when it is "
        "empty, or off by more than 10 percentage points and by more than half its share):\n\n" + "\n".join(lines)
    )


def _share(accuracy: Accuracy) -> str:
    """``0.946 (123/130)``, or ``–`` when nothing was judged."""
    return f"{accuracy.accuracy:.3f} ({accuracy.correct}/{accuracy.total})" if accuracy.total else "–"


def render_quality_table(table: QualityTable) -> str:
    """The quality table, as ``factpack eval`` prints it and the card shows it: span scores per claim type and
    overall (typed, overlap IoU >= 0.5) with speaker accuracies, then what the extractor says of each cue kind."""
    rows = [
        (
            row.claim_type,
            row.gold,
            row.predicted,
            f"{row.precision:.3f}",
            f"{row.recall:.3f}",
            f"{row.f1:.3f}",
            _share(row.speaker_span),
            _share(row.speaker_name),
        )
        for row in table.rows
    ]
    types = render_table(("claim type", "gold", "predicted", "P", "R", "F1", "speaker span", "speaker name"), rows)
    kinds = [(f"`{row.cue_kind.value}`", row.gold, row.predicted, _share(row.precision)) for row in table.cue_kinds]
    return (
        types + "\n\n" + render_table(("cue_kind", "gold", "predicted", "precision where the gold has a kind"), kinds)
    )


def _render_corpus(corpus: CorpusQuality) -> str:
    measured = (
        f"Measured {corpus.date.isoformat()} with factpack {corpus.factpack_version}, extractor `{corpus.extractor}`."
    )
    note = f" {corpus.note}" if corpus.note else ""
    quotations = ""
    if corpus.quotations:
        quotations = f"\n\nThe quotation figures as PolNeAR's `score.py` defines them: `{corpus.quotations}`."
    return f"### {corpus.corpus}\n\n{measured}{note}\n\n{render_quality_table(corpus.table)}{quotations}"


def _render_hand_checks(checks: Sequence[HandCheck]) -> str:
    rows: list[tuple[str, ...]] = []
    for kind in CueKind:
        of_kind = [check for check in checks if check.cue_kind is kind]
        rows += [
            (
                f"`{kind.value}`",
                c.corpus,
                str(c.checked),
                str(c.right),
                f"{c.right / c.checked:.3f}",
                c.date.isoformat(),
            )
            for c in of_kind
        ]
        if not of_kind:
            rows.append((f"`{kind.value}`", "not yet checked", "", "", "", ""))
    table = render_table(("cue_kind", "corpus", "checked", "right", "precision", "date"), rows)
    return (
        "### Hand-checked `cue_kind` precision\n\nClaims of each kind drawn at random and read by a maintainer "
        "(no gold needed):\n\n" + table
    )


def render_quality(record: QualityRecord) -> str:
    """The card's measured figures: the quality table of each gold corpus with when and with what it was
    measured, then the hand-checked precision of each cue kind, "not yet checked" where none is recorded."""
    corpora = [_render_corpus(corpus) for corpus in record.corpora] or ["No measurement is recorded yet."]
    return "\n\n".join([*corpora, _render_hand_checks(record.hand_checks)])


def _fields_or(facts: CardFacts, name: str, absent: str) -> str:
    config = next((c for c in facts.configs if c.name == name), None)
    return render_fields(config) if config else absent


def render_card(facts: CardFacts) -> str:
    """The whole card: YAML front matter, then ``card.md`` filled in."""
    template = string.Template(files("builder.write").joinpath("card.md").read_text(encoding="utf-8"))
    claims = next((c for c in facts.configs if c.name == "claims"), None)
    articles = next((c for c in facts.configs if c.name == "articles"), None)
    speakers = next((c for c in facts.configs if c.name == "speakers"), None)
    body = template.substitute(
        pretty_name=facts.meta.pretty_name,
        about=render_about(facts.meta),
        num_claims=claims.num_rows if claims else 0,
        num_articles=articles.num_rows if articles else 0,
        articles_seen=facts.articles_seen,
        articles_rejected=facts.articles_rejected,
        fields_dropped=render_dropped(facts.fields_dropped),
        claims_fields=render_fields(claims) if claims else "",
        cue_kinds=render_labels(CUE_KINDS),
        speaker_types=render_labels(SPEAKER_TYPES),
        articles_fields=render_fields(articles) if articles else "",
        speakers_fields=render_fields(speakers) if speakers else "No speaker was linked, so this config is left out.",
        splits_table=render_table(("split", "articles", "claims"), facts.splits),
        split_rule=facts.split_rule,
        uneven_splits=render_uneven_splits(facts.uneven_splits),
        cluster_rule=facts.cluster_rule,
        clusters_table=render_table(("", "count"), facts.clusters),
        match_rule=facts.match_rule,
        matches_table=render_table(("", "count"), facts.matches),
        matches_fields=_fields_or(facts, "matches", "No two claims matched, so this config is left out."),
        factcheck_matches_fields=_fields_or(
            facts,
            "factcheck_matches",
            "No claim matched a published fact-check (raw/factchecks/), so this config is left out.",
        ),
        outlets_table=render_table(("outlet", "articles", "claims"), facts.outlets),
        sources_table=render_table(("field", "from curator", "from text", "unknown"), facts.field_sources),
        excluded_table=render_table(("kind", "spans"), facts.excluded_kinds),
        types_table=render_table(("claim type", "claims"), facts.claim_types),
        speakers_table=render_table(("speaker", "claims"), facts.speakers) if facts.speakers else "No speakers.",
        rejections=render_rejections(facts.rejections),
        worthiness=render_worthiness(facts.worthiness),
        standalone=render_standalone(facts.standalone, claims.num_rows if claims else 0),
        credentials=render_credentials(facts.credentials),
        quality=render_quality(facts.quality),
        license=render_license(facts.meta),
        version=facts.meta.version,
        citation=facts.citation,
    )
    return f"---\n{render_front_matter(facts).rstrip()}\n---\n\n{body}"
