"""Claim matching measured on research data read where it lies (never copied into the repository).

    python bench/matching.py mrpc ../shared/matching/mrpc/msr_paraphrase_train.txt
    python bench/matching.py mrpc ../shared/matching/mrpc/msr_paraphrase_train.txt --write-default
    python bench/matching.py checkthat ../shared/matching/checkthat2020-task2 --split dev
    python bench/matching.py mrpc ../shared/matching/mrpc/msr_paraphrase_train.txt --fit
    python bench/matching.py checkthat ../shared/matching/checkthat2020-task2 --split dev --fit

``mrpc``: 10-fold cross-validation (a fixed permutation) of the default matcher's *recipe*: on each nine folds
the logistic weights of the features and their products are fitted (standardised, L2 strength ``--l2``), the
tenth is scored at the matcher's threshold. Prints accuracy and F1 over the pooled held-out decisions, the
baselines (always "same", the best word-Jaccard threshold found on the nine folds), and the shipped constants
scored on the whole file (in-sample: they were fitted on it). ``--write-default`` fits on every pair and writes
``builder/match/default_weights.py``: feature weights only, never a weight per word.

``checkthat``: CheckThat! 2020 task 2, each tweet ranked against the verified claims by ``factpack match rank``'s
code; MAP@5 as the task scores it (the precision at each relevant claim in the top five, over the relevant ones).

``--fit``: ``factpack match fit``'s recipe instead of the default's. ``mrpc --fit`` runs
:func:`builder.matching.fit_pairs` on the MRPC pairs (each pair its own group: 10 folds of pairs), printing its
report: the held-out decisions' accuracy and F1 beside the default matcher's (in-sample for the default).
``checkthat --fit`` fits a model on the train tweets (each with its relevant verified claim as "same" and BM25's
top 20 other claims as "different", grouped by tweet) and ranks the split with it as ``match rank --model`` does:
BM25's best 20 re-ranked by the model's score of the tweet and the claim. The pairs and the model go to a
temporary folder, never into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.match.default_weights import DEFAULT_WEIGHTS
from builder.match.pairs import MIN_SHARED, THRESHOLD, expanded, pair_features, ruled_out, score_pair
from builder.match.text import MatchText, match_text
from builder.matching import RERANKED, fit_pairs, rank_queries

_SEED = 20240607
_FOLDS = 10
_CUTS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


def read_mrpc(path: Path) -> tuple[list[tuple[str, str]], np.ndarray]:
    pairs, labels = [], []
    with path.open(encoding="utf-8-sig") as stream:
        next(stream)
        for line in stream:
            quality, _, _, first, second = line.rstrip("\n").split("\t")
            pairs.append((first, second))
            labels.append(int(quality))
    return pairs, np.array(labels, dtype=np.float64)


def _other_story_pairs(texts: list[tuple[MatchText, MatchText]], count: int) -> list[tuple[MatchText, MatchText]]:
    """``count`` pairs of sentences from two different MRPC pairs that share at least two content-word stems, as
    the build's blocking would propose them: taught as "different", so that the matcher meets, while it learns,
    the unrelated pairs that share a few words it will be asked about in a corpus (MRPC's own pairs all overlap
    a lot). Drawn with a fixed seed; used for fitting only, never scored as MRPC results."""
    sentences = [text for pair in texts for text in pair]
    draw = np.random.default_rng(_SEED + 1)
    found: list[tuple[MatchText, MatchText]] = []
    while len(found) < count:
        first, second = draw.integers(len(sentences), size=2).tolist()
        if first // 2 != second // 2 and len(sentences[first].stems & sentences[second].stems) >= 2:
            found.append((sentences[first], sentences[second]))
    return found


def fit(terms: np.ndarray, labels: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method on standardised terms; weights and bias on the raw terms."""
    mean, spread = terms.mean(0), terms.std(0)
    spread[spread == 0] = 1.0
    design = np.hstack([np.ones((len(terms), 1)), (terms - mean) / spread])
    weights = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(40):
        chance = 1.0 / (1.0 + np.exp(-design @ weights))
        gradient = design.T @ (chance - labels) + penalty @ weights
        hessian = (design * (chance * (1 - chance))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-10:
            break
    raw = weights[1:] / spread
    return raw, float(weights[0] - raw @ mean)


def scores(terms: np.ndarray, model: tuple[np.ndarray, float]) -> np.ndarray:
    raw, bias = model
    margins: np.ndarray = np.clip(bias + terms @ raw, -60, 60)
    return 1.0 / (1.0 + np.exp(-margins))


def quality(decided: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    hits = float((decided & (labels == 1)).sum())
    return float((decided == (labels == 1)).mean()), 2 * hits / (decided.sum() + labels.sum())


def mrpc(path: Path, l2: float, write_default: bool, negatives: int) -> None:
    pairs, labels = read_mrpc(path)
    started = time.perf_counter()
    found = [pair_features(match_text(a), match_text(b)) for a, b in pairs]
    per_pair = (time.perf_counter() - started) / len(pairs) * 1000
    names = list(expanded(found[0]))
    terms = np.array([[row[name] for name in names] for row in (expanded(f) for f in found)])
    fold = np.empty(len(pairs), dtype=np.int64)
    fold[np.random.default_rng(_SEED).permutation(len(pairs))] = np.arange(len(pairs)) % _FOLDS
    held_out = np.zeros(len(pairs))
    texts = [(match_text(a), match_text(b)) for a, b in pairs]
    allowed = np.array(
        [
            ruled_out(a, b, None) is None and f["stem_jaccard"] >= MIN_SHARED
            for (a, b), f in zip(texts, found, strict=True)
        ]
    )
    jaccard = np.array([f["word_jaccard"] for f in found])
    by_jaccard = np.zeros(len(pairs), dtype=bool)
    others = _other_story_pairs(texts, negatives)
    other_terms = np.array([[row[name] for name in names] for row in (expanded(pair_features(*p)) for p in others)])
    other_fold = np.arange(len(others)) % _FOLDS
    others_accepted = 0
    for k in range(_FOLDS):
        train, test = fold != k, fold == k
        design = np.vstack([terms[train], other_terms[other_fold != k]])
        truth = np.r_[labels[train], np.zeros(int((other_fold != k).sum()))]
        model = fit(design, truth, l2)
        held_out[test] = scores(terms[test], model)
        others_accepted += int((scores(other_terms[other_fold == k], model) >= THRESHOLD).sum())
        cuts = np.unique(jaccard[train])
        best = max(cuts, key=lambda cut: float(((jaccard[train] >= cut) == (labels[train] == 1)).mean()))
        by_jaccard[test] = jaccard[test] >= best
    print(f"MRPC training pairs: {len(pairs)}, {labels.mean():.1%} paraphrases; features {per_pair:.2f} ms a pair")
    rows = [
        ("always 'same'", np.ones(len(pairs), dtype=bool)),
        ("word Jaccard, threshold chosen on the nine folds", by_jaccard),
        (f"default recipe, cross-validated (L2 {l2:g}): score alone", held_out >= THRESHOLD),
        ("… and the rules (the decision `match score` gives)", (held_out >= THRESHOLD) & allowed),
    ]
    print(f"pairs of two stories sharing two words, held out: {others_accepted / max(len(others), 1):.1%} scored same")
    decided = (held_out[:, None] >= np.array(_CUTS)[None, :]) & allowed[:, None]
    precision = [(decided[:, k] & (labels == 1)).sum() / max(decided[:, k].sum(), 1) for k in range(len(_CUTS))]
    print("cross-validated precision of the decision at thresholds:")
    print(", ".join(f"{cut:.2f}: {value:.3f}" for cut, value in zip(_CUTS, precision, strict=True)))
    if set(DEFAULT_WEIGHTS) == set(names):  # constants of these features (else: write them first)
        shipped = np.array([score_pair(a, b).match for a, b in pairs])
        rows.append(("shipped constants on the whole file (in-sample)", shipped))
    print("| scorer | accuracy | F1 |\n|---|---|---|")
    for name, decided in rows:
        accuracy, f1 = quality(decided, labels)
        print(f"| {name} | {accuracy:.4f} | {f1:.4f} |")
    if write_default:
        raw, bias = fit(np.vstack([terms, other_terms]), np.r_[labels, np.zeros(len(others))], l2)
        target = Path(__file__).resolve().parents[1] / "builder" / "match" / "default_weights.py"
        lines = [
            '"""The default matcher\'s constants, written by ``python bench/matching.py mrpc FILE --write-default``.',
            "",
            f"A logistic regression over the pair features of :mod:`builder.match.pairs` and their products, L2 {l2:g}",
            f"on standardised terms, fitted on the {len(pairs):,} MRPC training pairs and {len(others):,} pairs of",
            "sentences from two MRPC stories that share two content words, taught as different (research use; no pair",
            "is shipped), and written back on the raw terms. Feature weights only: no word has a weight.",
            '"""',
            "",
            f"DEFAULT_BIAS = {bias:.6f}",
            "DEFAULT_WEIGHTS: dict[str, float] = {",
            *(f'    "{name}": {value:.6f},' for name, value in zip(names, raw, strict=True)),
            "}",
        ]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    first = sub.add_parser("mrpc")
    first.add_argument("path", type=Path)
    first.add_argument("--l2", type=float, default=10.0)
    first.add_argument("--write-default", action="store_true")
    first.add_argument("--negatives", type=int, default=4000, help="pairs of two stories taught as different")
    first.add_argument("--fit", action="store_true", help="cross-validate 'factpack match fit' instead")
    second = sub.add_parser("checkthat")
    second.add_argument("folder", type=Path)
    second.add_argument("--split", default="dev")
    second.add_argument("--fit", action="store_true", help="rank with a model fitted on train, as 'match rank --model'")
    args = parser.parse_args()
    if args.task == "mrpc" and args.fit:
        mrpc_fit(args.path)
    elif args.task == "mrpc":
        mrpc(args.path, args.l2, args.write_default, args.negatives)
    else:
        checkthat(args.folder, args.split, args.fit)


def _fitted(records: list[dict[str, object]], folder: Path, out: Path | None) -> None:
    labels = folder / "pairs.jsonl"
    labels.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    started = time.perf_counter()
    report = fit_pairs(labels, out)
    print(
        f"match fit on {report.examples:,} pairs ({report.positives:,} same) in {time.perf_counter() - started:.1f} s"
    )
    kept = "by group" if report.by_group else "by pair"
    print(f"{report.folds}-fold CV ({kept}), L2 {report.l2:g}, threshold {report.threshold:.3f}")
    print("| decisions | accuracy | precision | recall | F1 |\n|---|---|---|---|---|")
    for name, found in (("match fit, held out", report.cv), ("default matcher", report.default)):
        print(f"| {name} | {found.accuracy:.4f} | {found.precision:.4f} | {found.recall:.4f} | {found.f1:.4f} |")


def mrpc_fit(path: Path) -> None:
    pairs, labels = read_mrpc(path)
    records: list[dict[str, object]] = [
        {"a": a, "b": b, "label": bool(label)} for (a, b), label in zip(pairs, labels, strict=True)
    ]
    with tempfile.TemporaryDirectory(prefix="factpack-bench-") as folder:
        _fitted(records, Path(folder), None)


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, delimiter="\t"))
    return rows[1:]


def _split(folder: Path, split: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    queries = {row[0]: row[1] for row in _tsv(folder / split / "tweets.queries.tsv")}
    relevant: dict[str, set[str]] = {}
    for line in (folder / split / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").splitlines():
        query, _, claim, grade = line.split()
        if int(grade) > 0:
            relevant.setdefault(query, set()).add(claim)
    return queries, relevant


def checkthat(folder: Path, split: str, fit_model: bool = False) -> None:
    """Rank ``split``'s tweets with ``rank_queries`` itself: the verified claims written as a fact-check file
    (claimReviewed the claim, headline its title), the tweets as a queries file; with ``fit_model``, first fit on
    train's tweets (each with its verified claim, and BM25's best 20 others as different; a tweet is a group)."""
    verified = {row[0]: (row[1], row[2]) for row in _tsv(folder / "verified_claims.docs.tsv")}
    queries, relevant = _split(folder, split)
    with tempfile.TemporaryDirectory(prefix="factpack-bench-") as work:
        against = Path(work) / "verified.jsonl"
        against.write_text(
            "".join(
                json.dumps({"url": _URL + claim, "claimReviewed": text, "headline": title or None}) + "\n"
                for claim, (text, title) in verified.items()
            ),
            encoding="utf-8",
        )
        model_path = None
        if fit_model:
            model_path = Path(work) / "match-model.json"
            _fitted(_checkthat_pairs(folder, verified, against), Path(work), model_path)
        asked = Path(work) / "queries.jsonl"
        asked.write_text("".join(json.dumps({"id": q, "text": t}) + "\n" for q, t in queries.items()), "utf-8")
        started = time.perf_counter()
        report = rank_queries(asked, against, 5, model=model_path)
        per_query = (time.perf_counter() - started) / len(queries) * 1000
    precision = []
    for ranked in report.ranked:
        wanted, hits, total = relevant.get(str(ranked.id), set()), 0, 0.0
        for rank, found in enumerate(ranked.matches, start=1):
            if found.url.removeprefix(_URL) in wanted:
                hits += 1
                total += hits / rank
        precision.append(total / len(wanted) if wanted else 0.0)
    ranker = "BM25's best 20 re-ranked with match fit's model" if fit_model else "BM25"
    print(f"CheckThat! 2020 task 2, {split}: {len(queries)} tweets against {len(verified):,} verified claims; {ranker}")
    print(f"MAP@5 {np.mean(precision):.4f}; {per_query:.1f} ms a query (the fact-check file read and indexed included)")


_URL = "https://checkthat.invalid/"


def _checkthat_pairs(folder: Path, verified: dict[str, tuple[str, str]], against: Path) -> list[dict[str, object]]:
    """Train's labelled pairs: each tweet with its verified claims (same) and BM25's best 20 others (different)."""
    queries, relevant = _split(folder, "train")
    asked = against.parent / "train-queries.jsonl"
    asked.write_text("".join(json.dumps({"id": q, "text": t}) + "\n" for q, t in queries.items()), "utf-8")
    records: list[dict[str, object]] = []
    for ranked in rank_queries(asked, against, RERANKED).ranked:
        query = str(ranked.id)
        wanted = relevant.get(query, set())
        text = queries[query]
        records += [{"a": text, "b": verified[claim][0], "label": True, "group": query} for claim in sorted(wanted)]
        others = [found.url.removeprefix(_URL) for found in ranked.matches]
        records += [
            {"a": text, "b": verified[claim][0], "label": False, "group": query}
            for claim in others
            if claim not in wanted
        ]
    return records


if __name__ == "__main__":
    csv.field_size_limit(1 << 30)
    main()
