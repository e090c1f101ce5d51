"""Reports: what a command found or did, returned by the library and printed by the CLI (``--json``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from builder.models.base import Record
from builder.models.manifest import ArticleCounts, BuildCounts, FileEntry
from builder.models.published import Resolution, Split

__all__ = [
    "BuildReport",
    "ClaimReviewReport",
    "ConfigSummary",
    "DatasetSummary",
    "DecisionQuality",
    "FitReport",
    "ImportReport",
    "LabelStudioReport",
    "MatchFitReport",
    "MatchRankReport",
    "MatchScoreReport",
    "RankedFactCheck",
    "RankedQuery",
    "Rejection",
    "ScoreReport",
    "ScoredPair",
    "ScoredText",
    "SiteReport",
    "Stage",
    "StageTiming",
    "StrippedCredentials",
    "TaskProblem",
    "UnevenSplit",
    "ValidationReport",
    "VerifyProblem",
    "VerifyReport",
    "percent",
]


class Stage(StrEnum):
    """The pipeline stage that rejected an input."""

    INGEST = "ingest"
    VALIDATE = "validate"
    LABELS = "labels"
    FACTCHECKS = "factchecks"


class Rejection(Record):
    """One problem with one input: which file (and line), which field, and why."""

    file: str = Field(description="The file at fault, relative to the raw folder.")
    line: int | None = Field(default=None, ge=1, description="1-based line within the file, when it has one.")
    loc: str = Field(description="Dotted path of the field at fault; empty for the file as a whole.")
    reason: str = Field(description="What is wrong and how to fix it.")
    stage: Stage = Field(description="The stage that found the problem.")
    article: str = Field(description="Source of the article the problem belongs to: 'path' or 'path:line'.")
    kept: bool = Field(
        default=False,
        description="False: the article was rejected. True: only this metadata field was dropped (built with "
        "--drop-bad-metadata): the article was kept, the field treated as absent (read off the text when it can be).",
    )

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        kept = "; the field was dropped, the article kept" if self.kept else ""
        return f"{where}: {self.loc or '(file)'}: {self.reason}{kept}"


class ValidationReport(Record):
    """What ``factpack validate`` found."""

    counts: ArticleCounts
    rejections: list[Rejection]

    @property
    def ok(self) -> bool:
        """Nothing would keep a build from publishing every article (a dropped field does not)."""
        return all(rejection.kept for rejection in self.rejections)


class StageTiming(Record):
    """What one stage of a build cost: on the driver, or summed over the workers (per-article stages)."""

    name: str = Field(description="The stage: read, clean, validate, extract, sketch, spool, link, cluster, ….")
    where: Literal["workers", "driver"] = Field(description="Run per article on the workers, or once on the driver.")
    wall_seconds: float = Field(ge=0, description="Wall-clock seconds (summed over units for a per-article stage).")
    cpu_seconds: float = Field(ge=0, description="CPU seconds of the processes that ran it.")


class StrippedCredentials(Record):
    """What the URL rule (:mod:`builder.urls`) took out of the accepted articles' URLs: counts and parameter names,
    never a value."""

    urls: int = Field(default=0, ge=0, description="Article URLs that lost a login or a listed parameter.")
    logins: int = Field(default=0, ge=0, description="Of them, URLs that lost a login (user:password@).")
    parameters: dict[str, int] = Field(
        default_factory=dict, description="Each listed parameter name taken out, and how many URLs lost it."
    )

    def __str__(self) -> str:
        if not self.urls:
            return "no article URL carried a login or a credential parameter"
        what = [f"{self.logins} login(s)"] if self.logins else []
        what += [f"{name} ({count})" for name, count in self.parameters.items()]
        return f"credentials taken out of {self.urls} article URL(s): " + ", ".join(what)


def percent(share: float) -> str:
    """A share as a percentage to one decimal, without a trailing ``.0``: ``10%``, ``46.2%``."""
    return f"{share * 100:.1f}".removesuffix(".0") + "%"


class UnevenSplit(Record):
    """A split that came out empty, or far from the share of the claims asked (:func:`builder.split.is_far`),
    and why: a group of articles linked by shared claims never spans splits."""

    split: Split
    asked: float = Field(ge=0, le=1, description="The share of the claims asked for it (--ratios).")
    share: float = Field(ge=0, le=1, description="The share of the claims it holds.")
    claims: int = Field(ge=0, description="Claims in it.")
    articles: int = Field(ge=0, description="Articles in it.")
    groups: int = Field(ge=0, description="Groups the build's articles form; each goes to one split whole.")
    largest_group: int = Field(ge=0, description="Articles in the largest group.")
    cross_article_clusters: int = Field(ge=0, description="Clusters that link two or more articles into a group.")
    why: str = Field(description="Why whole groups could not meet the share.")
    fix: str = Field(description="What would bring it closer.")

    def outcome(self) -> str:
        """What came out, against what was asked: 'is empty (asked 10%)'."""
        if self.claims:
            held = f"holds {percent(self.share)} of the claims"
        else:
            held = "has articles but no claim" if self.articles else "is empty"
        return f"{held} (asked {percent(self.asked)})"

    def __str__(self) -> str:
        return f"split '{self.split}' {self.outcome()}: {self.why}; {self.fix}"


class BuildReport(Record):
    """What ``factpack build`` did."""

    out_dir: str
    counts: BuildCounts
    from_cache: int = Field(default=0, ge=0, description="Inputs whose per-article results came from the cache.")
    rejections: list[Rejection]
    outputs: list[FileEntry]
    timings: list[StageTiming] = Field(default_factory=list, description="Each stage's cost, in the order run.")
    serial_share: float = Field(
        default=0.0, ge=0, le=1, description="The driver's share of the build's CPU: what more workers cannot shorten."
    )
    warnings: list[str] = Field(
        default_factory=list, description="What went wrong without failing the build (a cache it could not write)."
    )
    credentials: StrippedCredentials = Field(
        default_factory=StrippedCredentials,
        description="What the URL rule took out of the accepted articles' URLs (never a value).",
    )
    uneven_splits: list[UnevenSplit] = Field(
        default_factory=list,
        description="Splits that came out empty or far from their ratio, and why (each is also a warning).",
    )
    unchanged: bool = Field(
        default=False,
        description="Nothing had changed since the last build of the folder, which already held this output: "
        "it was left as it was, and this is that build's report (but for the timings).",
    )


class VerifyProblem(Record):
    """One thing ``factpack verify`` found wrong: a stable code, where (file, row, field), and a one-line note."""

    code: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$", description="Stable error code, e.g. 'offset-mismatch'.")
    file: str = Field(description="Path relative to the dataset folder ('' for the folder itself).")
    row: int | None = Field(default=None, ge=0, description="0-based row within the file, when one row is at fault.")
    field: str | None = Field(default=None, description="Column, YAML key or JSON-LD property at fault.")
    note: str = Field(min_length=1, description="What is wrong, in one line.")

    def __str__(self) -> str:
        where = self.file or "."
        if self.row is not None:
            where += f" row {self.row}"
        if self.field is not None:
            where += f" field {self.field}"
        return f"{self.code} {where}: {self.note}"


class VerifyReport(Record):
    """What ``factpack verify`` checked and found; ``ok`` when no problem was found."""

    dist: str
    ok: bool
    problems: list[VerifyProblem]
    found: int = Field(ge=0, description="Problems found, listed or not (when truncated, at least this many).")
    truncated: bool = Field(description="More problems were found than the limit; only the first are listed.")
    checked: dict[str, int] = Field(description="What was checked: files, shards, rows, claims, raw files.")


class ConfigSummary(Record):
    """Counts of one published config, as ``factpack inspect`` shows them."""

    name: str
    rows_per_split: dict[str, int]
    rows_per_outlet: dict[str, int]
    nulls_per_field: dict[str, int]


class DatasetSummary(Record):
    """Every config of a dataset folder."""

    path: str
    configs: list[ConfigSummary]


# What the exports, the label import and the review site report: one run of a command, never a file.


class ClaimReviewReport(Record):
    """What :func:`~builder.export.claimreview.export_claimreview` wrote."""

    path: str = Field(description="The JSON Lines file written.")
    claims: int = Field(ge=0, description="Documents written: one per claim.")
    authors: dict[str, int] = Field(
        description="Documents by author @type: 'Person', 'Organization' (an organisation, a group or the outlet) "
        "or 'none'."
    )
    speaker_types: dict[str, int] = Field(
        default_factory=dict,
        description="Documents by the claim's speaker_type: 'person', 'organisation', 'group' or 'none'.",
    )


class LabelStudioReport(Record):
    """What :func:`~builder.labels.label_studio.export_label_studio` (or
    :func:`~builder.export.label_studio_pairs.export_label_studio_pairs`) wrote."""

    tasks_file: str = Field(description="The tasks to import into Label Studio (a JSON array).")
    config_file: str = Field(description="The labeling config the tasks are made for.")
    tasks: int = Field(ge=0, description="Tasks written: one per claim (or per matched pair).")
    prefilled: int = Field(ge=0, description="Tasks whose claim already carried a curator's label, pre-filled.")


class TaskProblem(Record):
    """One problem with one task of a Label Studio export: where it is and why it cannot be imported."""

    file: str = Field(description="The export file, as given.")
    index: int | None = Field(default=None, ge=0, description="0-based position of the task in the export array.")
    task_id: int | None = Field(default=None, description="Label Studio's id of the task, when it has one.")
    loc: str = Field(description="Path of the field at fault inside the task; empty for the task or file as a whole.")
    reason: str = Field(description="What is wrong and how to fix it.")

    def __str__(self) -> str:
        if self.index is None:
            return f"{self.file}: {self.loc or '(file)'}: {self.reason}"
        task = "task" if self.task_id is None else f"task {self.task_id}"
        return f"{self.file}: {task} (#{self.index}): {self.loc or '(task)'}: {self.reason}"


class ImportReport(Record):
    """What :func:`~builder.labels.label_studio_import.import_label_studio` did to ``raw/labels.jsonl``."""

    labels_file: str = Field(description="The labels file merged into.")
    tasks: int = Field(ge=0, description="Tasks in the export: labels + superseded + unannotated + invalid.")
    labels: int = Field(ge=0, description="Labels read: one per claim with a usable annotation.")
    superseded: int = Field(
        ge=0, description="Tasks whose label lost to a newer annotation in another task of the same claim."
    )
    unannotated: int = Field(
        ge=0, description="Tasks with no annotation to import: none, only skipped (cancelled) ones, or no judgement."
    )
    invalid: int = Field(ge=0, description="Tasks with problems, not imported.")
    added: int = Field(ge=0, description="Lines appended for claims not labelled before.")
    replaced: int = Field(ge=0, description="Lines rewritten because the claim's label changed.")
    unchanged: int = Field(ge=0, description="Lines that already said the same, left as they were.")
    problems: list[TaskProblem] = Field(description="Tasks that could not be imported, with the reason.")
    written: bool = Field(description="Whether the labels file was written (not with problems unless skip_invalid).")
    withheld: bool = Field(
        default=False,
        description="Whether problems kept the labels file from being written (any problem, without skip_invalid); "
        "the counts then say what the import would have done. Neither written nor withheld: nothing changed.",
    )

    @model_validator(mode="after")
    def _reconciles(self) -> ImportReport:
        if self.tasks != self.labels + self.superseded + self.unannotated + self.invalid:
            raise ValueError("tasks must equal labels + superseded + unannotated + invalid")
        return self


class SiteReport(Record):
    """What :func:`~builder.review.write_site` wrote: the index to open, and the counts to tell the user."""

    out: Path = Field(description="The site folder.")
    index: Path = Field(description="The page to open: the index of articles and rejects.")
    pages: int = Field(ge=0, description="HTML pages written: one per article, and the index.")
    articles: int = Field(ge=0, description="Articles shown.")
    claims: int = Field(ge=0, description="Claims highlighted.")
    rejects: int = Field(ge=0, description="Rejected inputs listed.")


class ScoredText(Record):
    """One scored sentence or claim of ``factpack worthiness score``."""

    line: int = Field(ge=1, description="1-based line of the input.")
    text: str = Field(description="The text scored, as given.")
    speaker: str | None = Field(default=None, description="Who says it, when the input said.")
    claim_type: str | None = Field(default=None, description="The claim type, when the input said.")
    cue_kind: str | None = Field(default=None, description="The cue kind, when the input said.")
    score: float = Field(ge=0.0, le=1.0, description="Check-worthiness in [0, 1].")
    terms: dict[str, float] = Field(description="The score's logit, term by term (bias and every feature).")


class ScoreReport(Record):
    """What ``factpack worthiness score`` scored: every input line, in order, with the score that ranked it."""

    source: str = Field(description="The input file, or '-' for standard input.")
    scorer: str = Field(description="The score used: the rules' version (the extractor id).")
    scored: list[ScoredText] = Field(description="Every non-blank input line, in input order.")


class ResolvedPassage(Record):
    """One passage of ``factpack standalone``: its text, the standalone text and each replacement made."""

    line: int = Field(ge=1, description="1-based line of the input the passage is on.")
    text: str = Field(description="The passage as given.")
    standalone: str = Field(description="The passage with every reference the resolver is sure of replaced.")
    resolutions: list[Resolution] = Field(description="The replacements, offsets into the passage, in order.")


class StandaloneReport(Record):
    """What ``factpack standalone`` resolved: every non-blank input line, in order."""

    resolved: list[ResolvedPassage] = Field(description="One entry per passage.")


class ScoredPair(Record):
    """One pair of ``factpack match score``: whether its two sentences state the same claim, and why."""

    line: int = Field(ge=1, description="1-based line of the input the pair is on.")
    score: float = Field(ge=0.0, le=1.0, description="The matcher's score in [0, 1] (the default's, or the model's).")
    match: bool = Field(description="The decision: the same claim (the score, the words shared, nothing ruled out).")
    terms: dict[str, float] = Field(description="The pair's features the score is computed from, by name.")
    ruled_out: str | None = Field(
        default=None,
        description="Why the pair cannot be a match whatever its score (polarity_differs, numbers_differ, "
        "speakers_differ); None when nothing rules it out.",
    )


class MatchScoreReport(Record):
    """What ``factpack match score`` scored: every input pair, in order."""

    source: str = Field(description="The input file, or '-' for standard input.")
    scorer: str = Field(
        description="The matcher used: its version and a hash of its sources, or 'model sha256:' and the model file's."
    )
    scored: list[ScoredPair] = Field(description="Every non-blank input line, in input order.")


class RankedFactCheck(Record):
    """One fact-check ranked against a query by ``factpack match rank``."""

    url: str = Field(description="The fact-check's own address (ClaimReview url).")
    score: float = Field(
        ge=0.0,
        description="BM25 score of its claim and headline for the query, or with a model the model's score of the "
        "query and its claim, in [0, 1] (higher: closer).",
    )


class RankedQuery(Record):
    """One query of ``factpack match rank`` and the fact-checks closest to it."""

    line: int = Field(ge=1, description="1-based line of the input the query is on.")
    id: str | int = Field(description="The query's id, as given.")
    matches: list[RankedFactCheck] = Field(
        description="The best fact-checks, best first (ties: the earlier in the file); none that shares no word."
    )


class MatchRankReport(Record):
    """What ``factpack match rank`` ranked: every query, in input order."""

    source: str = Field(description="The queries file, or '-' for standard input.")
    against: str = Field(description="The fact-check file ranked against.")
    scorer: str = Field(
        description="The ranker used: the matcher's version and a hash of its sources, or 'model sha256:' and the "
        "hash of the model that re-ranked BM25's best."
    )
    fact_checks: int = Field(ge=1, description="Fact-checks read from the file and ranked.")
    top: int = Field(ge=1, description="The most fact-checks listed per query.")
    ranked: list[RankedQuery] = Field(description="Every query, in input order.")


class DocumentAP(Record):
    """One held-out document's average precision under the fitted model and under the rules."""

    document: str = Field(description="The document (article, debate) as the labels name it.")
    model: float = Field(ge=0.0, le=1.0, description="The fitted model's average precision on it, held out.")
    rules: float = Field(ge=0.0, le=1.0, description="The rule score's average precision on it.")


class FitReport(Record):
    """What ``factpack worthiness fit`` learned, and how well it ranks on the labels it did not see."""

    source: str = Field(description="Where the labels came from: a JSONL file, or a dataset folder's claims.")
    examples: int = Field(ge=0, description="Labelled texts used.")
    positives: int = Field(ge=0, description="Of them, judged check-worthy.")
    documents: int = Field(ge=0, description="Documents (articles, debates) they come from.")
    folds: int = Field(ge=2, description="Cross-validation folds (by document when there are enough).")
    l2: float = Field(gt=0.0, description="The L2 penalty the cross-validation chose.")
    balanced: bool = Field(description="Whether the cross-validation chose the classes weighted to balance.")
    neighbours: float = Field(
        ge=0.0, description="The weight of a line's neighbours' margins the cross-validation chose (0: alone)."
    )
    cv_ap: float = Field(
        ge=0.0, le=1.0, description="Average precision of the held-out texts, pooled, at the settings chosen."
    )
    cv_map: float | None = Field(
        default=None, description="Mean of the held-out documents' average precision, at the settings chosen."
    )
    rules_ap: float = Field(ge=0.0, le=1.0, description="The rule score's average precision on the same texts.")
    rules_map: float | None = Field(default=None, description="The rule score's MAP over the same documents.")
    document_ap: list[DocumentAP] = Field(
        default_factory=list,
        description="Each held-out document's average precision, the model's and the rules', when there are two or "
        "more documents with a positive: the spread behind cv_map.",
    )
    sha256: str = Field(description="SHA-256 of the training examples (text, speaker, type, label, document).")
    out: str | None = Field(default=None, description="The model file written; None on a dry run.")
    unannotated: int = Field(
        default=0, ge=0, description="Tasks of a Label Studio export skipped: no annotation, or only skipped ones."
    )


class DecisionQuality(Record):
    """How a matcher's decisions fare against labelled pairs (``same`` is the positive class)."""

    accuracy: float = Field(ge=0.0, le=1.0, description="Share of pairs decided as labelled.")
    precision: float = Field(ge=0.0, le=1.0, description="Of the pairs decided the same claim, labelled so.")
    recall: float = Field(ge=0.0, le=1.0, description="Of the pairs labelled the same claim, decided so.")
    f1: float = Field(ge=0.0, le=1.0, description="Harmonic mean of precision and recall.")


class MatchFitReport(Record):
    """What ``factpack match fit`` learned, and how its decisions fare on the pairs it did not see."""

    source: str = Field(description="The labelled pairs file, or the Label Studio export.")
    examples: int = Field(ge=0, description="Labelled pairs used.")
    positives: int = Field(ge=0, description="Of them, labelled the same claim.")
    groups: int = Field(ge=0, description="Groups the pairs come in (a pair without a group is one of its own).")
    folds: int = Field(ge=2, description="Cross-validation folds.")
    by_group: bool = Field(description="Whether the folds kept each group whole (else pairs were dealt in turn).")
    l2: float = Field(gt=0.0, description="The L2 penalty chosen by the cross-validation.")
    threshold: float = Field(ge=0.0, le=1.0, description="The model's score at which a pair is the same claim.")
    cv: DecisionQuality = Field(description="The held-out decisions (the rules applied), pooled over the folds.")
    default: DecisionQuality = Field(description="The default matcher's decisions on the same pairs.")
    sha256: str = Field(description="SHA-256 of the training pairs (sentences, speakers, label, group).")
    out: str | None = Field(default=None, description="The model file written; None on a dry run.")
    unannotated: int = Field(
        default=0, ge=0, description="Tasks of a Label Studio export skipped: no annotation, or only skipped ones."
    )
