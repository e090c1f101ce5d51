"""``factpack match``: claim matching outside a build, with the matcher of :mod:`builder.match`.

* :func:`score_pairs` (``factpack match score``): whether two sentences state the same claim. The input is JSONL,
  one pair per line: ``a`` and ``b`` (the sentences), optionally ``a_speaker`` and ``b_speaker`` (two different
  speakers rule a pair out). Each pair gets the default matcher's score, its decision and, when something rules it
  out whatever its score, why (:func:`builder.match.pairs.score_pair`).
* :func:`rank_queries` (``factpack match rank``): which published fact-checks a claim repeats. The queries are
  JSONL, one per line: ``id`` (a string or an integer, each once) and ``text``; the fact-checks are one ClaimReview
  file, JSON-LD or JSON Lines, read as ``raw/factchecks/`` is (:func:`builder.factchecks.read_factchecks`). Each
  query lists the ``top`` fact-checks by BM25 over their claim and headline (:mod:`builder.match.rank`).
* :func:`fit_pairs` (``factpack match fit``): a matcher fitted on the user's own labelled pairs
  (:mod:`builder.match.model`), cross-validated beside the default before anything is written. Given its file
  (``model``), ``score`` scores with it and ``rank`` re-ranks BM25's best :data:`RERANKED` (or ``top``, if more) by
  its score of the query and each fact-check's ``claimReviewed``. The labelled pairs are JSONL, or a completed
  Label Studio export of the ``label-studio-pairs`` tasks (:mod:`builder.export.label_studio_pairs`): each task's
  newest submitted ``same_claim`` choice is a label, its two texts the pair, its ``match_group`` the group.

Blank lines are skipped; line numbers count them. A line that cannot be read stops the command with its number and
the fix; so does a bad fact-check, with its file, line (JSON Lines) and field.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from builder.errors import ConfigError, InputError
from builder.export.label_studio_pairs import DIFFERENT, OTHER_TEXT, SAME, SAME_CLAIM, TEXT
from builder.factchecks import FACTCHECK_SUFFIXES, read_factchecks
from builder.labels.label_studio_import import TaskReader, json_kind, read_tasks
from builder.learn import (
    MIN_LABELS,
    Classification,
    classification,
    cross_validate,
    enough_labels,
    folds_by_group,
    standardised,
    train,
    unstandardised,
    write_model_file,
)
from builder.match.model import (
    BUCKETS,
    TERMS,
    MatchModel,
    pair_design,
    read_match_model,
)
from builder.match.pairs import MIN_SHARED, score_pair
from builder.match.rank import Bm25Index
from builder.match.text import match_text
from builder.models import (
    DecisionQuality,
    FactCheck,
    MatchFitReport,
    MatchRankReport,
    MatchScoreReport,
    RankedFactCheck,
    RankedQuery,
    ScoredPair,
)
from builder.passages import json_object, read_bytes, read_source, utf8_text
from builder.version import __version__

__all__ = ["FOLDS", "L2_GRID", "MIN_LABELS", "RERANKED", "fit_pairs", "matcher_id", "rank_queries", "score_pairs"]

MATCHER_NAME = "factpack-matcher"
_PAIR_EXAMPLE = '{"a": "…", "b": "…"}'
_QUERY_EXAMPLE = '{"id": 1, "text": "…"}'
_FACTCHECK_FORMS = "schema.org ClaimReview as JSON-LD (.json, .jsonld) or JSON Lines (.jsonl)"


@cache
def matcher_id() -> str:
    """``factpack-matcher/<version>+<hash of builder/match>``: changes whenever the matcher or the ranker does."""
    digest = hashlib.sha256()
    entries = files("builder").joinpath("match").iterdir()
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(f"match/{entry.name}".encode() + entry.read_bytes())
    return f"{MATCHER_NAME}/{__version__}+{digest.hexdigest()[:8]}"


def score_pairs(path: Path | None, stdin: bytes | None = None, model: Path | None = None) -> MatchScoreReport:
    """Score the pairs of ``path``, or of ``stdin`` (the bytes of standard input) when ``path`` is None; with the
    fitted ``model`` file when one is given, else with the default matcher."""
    fitted = None if model is None else read_match_model(model)
    name, text = read_source(path, stdin, f"JSONL, one pair per line: {_PAIR_EXAMPLE}, or -")
    scored = []
    for number, line in _lines(text, name, "no pairs to score", _PAIR_EXAMPLE):
        where = f"{name}:{number}"
        record = json_object(where, line)
        first, second = _text(where, record, "a"), _text(where, record, "b")
        speakers = _speaker(where, record, "a_speaker"), _speaker(where, record, "b_speaker")
        found = score_pair(first, second, *speakers, model=fitted)
        scored.append(
            ScoredPair(line=number, score=found.score, match=found.match, terms=found.terms, ruled_out=found.ruled_out)
        )
    return MatchScoreReport(source=name, scorer=_scorer(fitted), scored=scored)


RERANKED = 20
"""With a model, ``rank`` re-ranks this many of BM25's best (``top`` when it is more): BM25 finds the candidates
among thousands of fact-checks, the model orders the few that share words with the claim."""


def rank_queries(
    queries: Path | None, against: Path, top: int = 5, stdin: bytes | None = None, model: Path | None = None
) -> MatchRankReport:
    """The ``top`` fact-checks of the file ``against`` for each query of ``queries``, or of ``stdin`` when
    ``queries`` is None; best first. With the fitted ``model`` file, BM25's best :data:`RERANKED` are re-ranked by
    the model's score of the query and each one's ``claimReviewed`` plus the BM25 score over the query's best
    BM25 score (so in [0, 2]; ties: BM25's order), and that sum is reported."""
    if top < 1:
        raise ConfigError(f"top {top}: list at least 1 fact-check per query; give a top of 1 or more")
    fitted = None if model is None else read_match_model(model)
    name, text = read_source(queries, stdin, f"JSONL, one query per line: {_QUERY_EXAMPLE}, or -")
    parsed = _queries(name, text)
    fact_checks = _factcheck_file(against)
    index = Bm25Index([f"{check.claim_reviewed} {check.headline or ''}" for check in fact_checks])
    claims = {}  # each fact-check's claim read once, when it is first a candidate
    ranked = []
    for number, query_id, query in parsed:
        if fitted is None:
            best = index.top(query, top)
        else:
            retrieved = index.top(query, max(top, RERANKED))
            candidates = [found for found, _ in retrieved]
            strongest = retrieved[0][1] if retrieved else 1.0
            asked = match_text(query)
            for found in candidates:
                if found not in claims:
                    claims[found] = match_text(fact_checks[found].claim_reviewed)
            # the model judges the pair; BM25, scaled to the query's best, keeps what the model cannot see: how
            # rare the shared words are among all the fact-checks
            scores = [
                round(fitted.score(asked, claims[found]) + bm25 / strongest, 4)
                for found, bm25 in zip(candidates, (score for _, score in retrieved), strict=True)
            ]
            order = sorted(range(len(candidates)), key=lambda at: (-scores[at], at))[:top]
            best = [(candidates[at], scores[at]) for at in order]
        matches = [RankedFactCheck(url=fact_checks[found].url, score=score) for found, score in best]
        ranked.append(RankedQuery(line=number, id=query_id, matches=matches))
    return MatchRankReport(
        source=name,
        against=str(against),
        scorer=_scorer(fitted),
        fact_checks=len(fact_checks),
        top=top,
        ranked=ranked,
    )


def _scorer(model: MatchModel | None) -> str:
    return matcher_id() if model is None else f"model sha256:{model.sha256}"


FOLDS = 10
"""Cross-validation folds, fewer when there are fewer groups."""
L2_GRID = (1e-4, 1e-3, 1e-2)
"""The L2 penalties tried; the cross-validation picks the one whose held-out probabilities have the lowest
class-balanced log loss (a measure of the probabilities themselves, so good for ranking fact-checks as for
deciding pairs; accuracy at one threshold picked penalties that ranked worse)."""


def _balanced_log_loss(probabilities: Any, truth: Any) -> float:
    """The mean log loss of the positives and that of the negatives, averaged: the classes weigh alike, as in
    training."""
    clipped = np.clip(probabilities, 1e-6, 1 - 1e-6)
    same = truth > 0
    return float(-(np.log(clipped[same]).mean() + np.log(1 - clipped[~same]).mean()) / 2)


_LABEL_EXAMPLE = '{"a": "…", "b": "…", "label": true}'


class _LabelledPair(NamedTuple):
    line: int
    a: str
    b: str
    label: bool
    a_speaker: str | None
    b_speaker: str | None
    group: str | None


def fit_pairs(labels: Path | None, out: Path | None = None, *, label_studio: Path | None = None) -> MatchFitReport:
    """Fit a matcher on the labelled pairs of ``labels`` (JSONL: ``a``, ``b``, ``label``, optionally ``a_speaker``,
    ``b_speaker`` and ``group``) or of ``label_studio`` (a completed Label Studio JSON export of the
    ``label-studio-pairs`` tasks; exactly one of the two); cross-validate it beside the default matcher, and write
    it to ``out`` (None: a dry run, nothing written).

    In an export, a task without a submitted annotation is skipped (counted as ``unannotated``); a task whose
    newest annotation has no ``same_claim`` choice, or whose data lacks the texts, stops the fit with its id.

    The folds keep each group's pairs together (a pair without a group is a group of its own): :data:`FOLDS` of
    them, or one per group when there are fewer groups; with a single group, the pairs are dealt to the folds in
    turn. The model is trained with the classes weighted to balance, so its threshold is one minus the share of
    pairs labelled the same: the score above which a pair is more likely the same claim than not, among pairs
    like those labelled. Its decisions, like the default's, are its score at the threshold and the rules
    (:func:`builder.match.pairs.score_pair`); the figures are those of the held-out decisions, at the L2 penalty of
    :data:`L2_GRID` whose held-out probabilities were best (a choice made on the same folds: a little optimistic)."""
    if (labels is None) == (label_studio is None):
        raise ConfigError("give the labelled pairs as a JSONL file or as --label-studio EXPORT.json, one of the two")
    unannotated = 0
    if labels is not None:
        examples, source = _labelled_pairs(labels), str(labels)
    elif label_studio is not None:  # always, given the check above; said so for the type checker
        examples, unannotated = _judged_pairs(label_studio)
        source = str(label_studio)
    positives = sum(example.label for example in examples)
    enough_labels(source, len(examples), positives, "pair", ("the same claim", "different claims"))
    texts = [(match_text(example.a), match_text(example.b)) for example in examples]
    defaults = [
        score_pair(a, b, example.a_speaker, example.b_speaker) for (a, b), example in zip(texts, examples, strict=True)
    ]
    # what the rules leave to the score: the model's decisions are its score here, "different" elsewhere
    allowed = np.array([found.ruled_out is None and found.terms["stem_jaccard"] >= MIN_SHARED for found in defaults])
    truth = np.array([example.label for example in examples], dtype=np.float64)
    groups = [f"line:{example.line}" if example.group is None else f"group:{example.group}" for example in examples]
    count = len(set(groups))
    folds = min(FOLDS, count) if count >= 2 else FOLDS
    fold_of = folds_by_group(groups, folds)
    dense, slots = pair_design(texts, BUCKETS)
    scaled, mean, spread = standardised(dense)
    threshold = round(1.0 - positives / len(examples), 3)
    tried = []
    for l2 in sorted(L2_GRID, reverse=True):  # the strongest penalty first: it keeps a tie
        held_out = cross_validate(scaled, truth, fold_of, names=TERMS, slots=slots, buckets=BUCKETS, l2=l2)
        decided = classification(np.where(allowed, held_out.round(3), 0.0), truth, threshold)
        tried.append((_balanced_log_loss(held_out, truth), -l2, decided, l2))
    _, _, cv, l2 = min(tried)
    default = classification(np.array([found.match for found in defaults], dtype=np.float64), truth)
    digest = hashlib.sha256(
        json.dumps([example[1:] for example in examples], ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    report = MatchFitReport(
        source=source,
        examples=len(examples),
        positives=positives,
        groups=count,
        folds=folds,
        by_group=count >= folds,
        l2=l2,
        threshold=threshold,
        cv=_quality(cv),
        default=_quality(default),
        sha256=digest,
        out=None if out is None else str(out),
        unannotated=unannotated,
    )
    if out is not None:
        fitted = train(scaled, truth, names=TERMS, slots=slots, buckets=BUCKETS, l2=l2)
        model = MatchModel(
            linear=unstandardised(fitted, mean, spread).rounded(6),
            threshold=threshold,
            training={"source": source, "sha256": digest, "examples": len(examples), "positives": positives},
            quality=report.model_dump(mode="json", include={"folds", "by_group", "l2", "cv", "default"}),
        )
        write_model_file(out, model.document())
    return report


def _quality(found: Classification) -> DecisionQuality:
    return DecisionQuality(
        accuracy=round(found.accuracy, 4),
        precision=round(found.precision, 4),
        recall=round(found.recall, 4),
        f1=round(found.f1, 4),
    )


def _labelled_pairs(path: Path) -> list[_LabelledPair]:
    """The labelled pairs of ``path``; the first bad line stops the reading, named with its field."""
    text = utf8_text(str(path), read_bytes(path, f"JSONL, one labelled pair per line: {_LABEL_EXAMPLE}"))
    examples = []
    for number, line in _lines(text, str(path), "no labelled pairs", _LABEL_EXAMPLE):
        where = f"{path}:{number}"
        record = json_object(where, line)
        first, second = _text(where, record, "a"), _text(where, record, "b")
        label = record.get("label")
        if label not in (True, False, 0, 1) or isinstance(label, float):
            raise InputError(f"{where}: 'label' must be true/false or 1/0, not {label!r}; say whether a and b match")
        group = record.get("group")
        if group is not None and (isinstance(group, bool) or not isinstance(group, str | int) or group == ""):
            raise InputError(f"{where}: 'group' {group!r} is not a non-empty string or an integer; give one, or none")
        pair = _LabelledPair(
            number,
            first,
            second,
            bool(label),
            _speaker(where, record, "a_speaker"),
            _speaker(where, record, "b_speaker"),
            None if group is None else str(group),
        )
        examples.append(pair)
    return examples


_JUDGEMENTS = {SAME: True, DIFFERENT: False}


class _PairTaskReader(TaskReader):
    """One task of a ``label-studio-pairs`` export: its problems, or its pair labelled by its newest annotation."""

    def read(self) -> _LabelledPair | None:
        """The labelled pair; None when no annotation was submitted, or with problems (``self.problems``)."""
        task = self.task
        if not isinstance(task, dict):
            self.problem("", f"a task must be a JSON object, not {json_kind(task)}")
            return None
        data = task.get("data")
        if not isinstance(data, dict):
            why = "missing; a JSON-MIN export flattens it away: export the project as JSON (the full format)"
            self.problem("data", why)
            return None
        texts = [data.get(key) for key in (TEXT, OTHER_TEXT)]
        for key, value in zip((TEXT, OTHER_TEXT), texts, strict=True):
            if not isinstance(value, str) or not value.strip():
                why = f"expected the claim's text, got {json_kind(value)}; keep the data factpack exported in the task"
                self.problem(f"data.{key}", why)
        group = data.get("match_group")
        if group is not None and (not isinstance(group, str) or not group):
            self.problem("data.match_group", f"expected a non-empty string or none, got {json_kind(group)}")
        newest = self.newest(task.get("annotations", []))
        if newest is None or self.problems:
            return None
        _, at, annotation = newest
        label = self._judgement(annotation.get("result"), f"annotations[{at}].result")
        if label is None or self.problems:
            return None
        speakers = [data.get(key) for key in ("speaker", "other_speaker")]
        first, second = (speaker if isinstance(speaker, str) and speaker else None for speaker in speakers)
        return _LabelledPair(self.index + 1, str(texts[0]), str(texts[1]), label, first, second, group)

    def _judgement(self, results: Any, loc: str) -> bool | None:
        """The ``same_claim`` choice of an annotation's results: True for the same claim, False for different."""
        if not isinstance(results, list):
            self.problem(loc, f"expected a list of results, got {json_kind(results)}")
            return None
        chosen = [
            (at, result) for at, result in enumerate(results)
            if isinstance(result, dict) and result.get("from_name") == SAME_CLAIM
        ]  # fmt: skip
        answers = f"['{SAME}'] or ['{DIFFERENT}']"
        if not chosen:
            self.problem(loc, f"no {SAME_CLAIM!r} choice; answer {answers} in Label Studio, or skip the task")
            return None
        if len(chosen) > 1:
            self.problem(f"{loc}[{chosen[1][0]}].from_name", f"a second {SAME_CLAIM!r} result; keep one answer")
            return None
        at, result = chosen[0]
        value = result.get("value")
        choices = value.get("choices") if isinstance(value, dict) else None
        answer = choices[0] if isinstance(choices, list) and len(choices) == 1 else None
        if not isinstance(answer, str) or answer not in _JUDGEMENTS:
            self.problem(f"{loc}[{at}].value.choices", f"expected {answers}, got {choices!r}")
            return None
        return _JUDGEMENTS[answer]


def _judged_pairs(export: Path) -> tuple[list[_LabelledPair], int]:
    """The labelled pairs of a completed Label Studio export and the tasks without an annotation; the first bad
    task stops the reading, named with its id and field (the others are counted)."""
    tasks, problem = read_tasks(export)
    if problem is not None:
        raise InputError(str(problem))
    examples: list[_LabelledPair] = []
    unannotated = 0
    problems = []
    for index, task in enumerate(tasks):
        reader = _PairTaskReader(str(export), index, task)
        pair = reader.read()
        if reader.problems:
            problems.extend(reader.problems)
        elif pair is None:
            unannotated += 1
        else:
            examples.append(pair)
    if problems:
        more = f" ({len(problems) - 1} more problem(s) in the export after this one)" if len(problems) > 1 else ""
        raise InputError(str(problems[0]) + more)
    if not tasks:
        raise InputError(f"{export}: no tasks; export the project of 'factpack export --format label-studio-pairs'")
    return examples, unannotated


def _factcheck_file(path: Path) -> list[FactCheck]:
    """The fact-checks of one ClaimReview file, in file order; its first problem, if any, stops the reading with
    the file, line and field and the fix (the others are counted)."""
    if path.suffix.lower() not in FACTCHECK_SUFFIXES:
        raise InputError(f"{path}: not a fact-check file; give {_FACTCHECK_FORMS}")
    data = read_bytes(path, _FACTCHECK_FORMS)
    # read_factchecks reads a folder; the file alone goes into one of its own, under a name that is never hidden
    # (a hidden file is passed over), and the messages then name the file as it was given.
    with tempfile.TemporaryDirectory(prefix="factpack-match-") as folder:
        copy = Path(folder, "factchecks", f"claimreview{path.suffix.lower()}")
        copy.parent.mkdir()
        copy.write_bytes(data)
        fact_checks, problems = read_factchecks(Path(folder), "factchecks")
    if problems:
        more = f" ({len(problems) - 1} more problem(s) in the file after this one)" if len(problems) > 1 else ""
        copied = copy.relative_to(folder).as_posix()
        raise InputError(str(problems[0]).replace(copied, str(path)) + more)
    if not fact_checks:
        raise InputError(f"{path}: no fact-check in it; give {_FACTCHECK_FORMS}")
    return fact_checks


def _lines(text: str, source: str, nothing: str, example: str) -> list[tuple[int, str]]:
    """The non-blank lines of ``text`` with their 1-based numbers (blank lines count); none is an error."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise InputError(f"{source}: {nothing}; give one JSON object per line, such as {example}")
    return lines


def _queries(source: str, text: str) -> list[tuple[int, str | int, str]]:
    """(line, id, text) of every query, checked; an id given twice is refused (its rankings could not be told
    apart)."""
    parsed: list[tuple[int, str | int, str]] = []
    first_of: dict[str, int] = {}
    for number, line in _lines(text, source, "no queries to rank", _QUERY_EXAMPLE):
        where = f"{source}:{number}"
        record = json_object(where, line)
        query_id = record.get("id")
        if query_id is None:
            raise InputError(f"{where}: no 'id'; give each query its own, a non-empty string or an integer")
        if isinstance(query_id, bool) or not isinstance(query_id, str | int) or query_id == "":
            raise InputError(f"{where}: 'id' {query_id!r} is not a non-empty string or an integer; give one")
        # 1 and "1" print alike, so they are one id
        earlier = first_of.setdefault(str(query_id), number)
        if earlier != number:
            raise InputError(f"{where}: 'id' {query_id!r} is the id of line {earlier} already; give each query its own")
        parsed.append((number, query_id, _text(where, record, "text")))
    return parsed


def _text(where: str, record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: no {key!r} (a non-empty string); give the sentence as {key!r}")
    return value


def _speaker(where: str, record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be a string or null")
    return value or None
