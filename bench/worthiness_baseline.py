"""Check-worthiness, leave one debate out: factpack's rules, factpack's fitted model, and a plain bag of words.

Each debate of a CLEF CheckThat! 2019 task-1 folder (``*.tsv``: line number, speaker, sentence, label) is held out
in turn; the fitted model and the baseline learn from the other debates, and every scorer ranks the held-out
debate's sentences. Prints each debate's average precision for the three, their MAP, and on how many debates the
fitted model ranks above the rules and above the baseline.

- rules: ``check_worthiness`` as a build scores it (``builder.extract.worthiness``), with the speaker;
- fitted: ``factpack worthiness fit`` run on the other debates, as a user runs it (its own cross-validation
  choosing its L2 penalty, the class weighting and the neighbours' weight on those debates alone), then
  ``factpack worthiness score --model`` on the held-out one: the whole fit held out. The settings it chose are
  printed per debate. Pass ``--workers 2`` to fit two debates at once;
- baseline: TF-IDF of word 1- and 2-grams (lower case; sublinear counts; smoothed IDF from the training debates;
  rows scaled to unit length) and L2-regularised logistic regression with balanced classes (C = 1, L-BFGS). It is
  written here, not shipped: the yardstick the fitted model is held to.
- with ``--context``, a fourth column: the baseline's features plus the rule terms (standardised over the corpus,
  scaled by 0.3) and five features of a sentence's place in its debate (the sentence before ends in "?"; another
  speaker said it; the speaker's share of the debate's lines; the position; the length): what a learner could add.

Usage: python bench/worthiness_baseline.py ../shared/clef2019-train [--context]
The debates are research data: they are read where they lie, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from builder.extract.worthiness import WORTHINESS_FEATURES
from builder.extract.worthiness_model import read_model
from builder.learn import average_precision
from builder.worthiness import _design, _labelled_file, fit_model, score_text

_WORD = re.compile(r"[a-z0-9']+")


def debates(folder: Path) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Each debate's name and its (speaker, sentence, check-worthy) rows, in file order."""
    found = []
    for path in sorted(folder.glob("*.tsv")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                _, speaker, text, label = line.split("\t")[:4]
                rows.append((speaker, text, label.strip() == "1"))
        found.append((path.stem, rows))
    return found


def grams(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def tfidf(train: list[str], test: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    vocabulary: dict[str, int] = {}
    document_frequency: Counter[str] = Counter()
    for text in train:
        document_frequency.update(set(grams(text)))
    for gram in sorted(document_frequency):
        vocabulary[gram] = len(vocabulary)
    idf = np.zeros(len(vocabulary))
    for gram, count in document_frequency.items():
        idf[vocabulary[gram]] = np.log((1 + len(train)) / (1 + count)) + 1

    def matrix(texts: list[str]) -> sparse.csr_matrix:
        rows, cols, values = [], [], []
        for row, text in enumerate(texts):
            for gram, count in Counter(grams(text)).items():
                if gram in vocabulary:
                    rows.append(row)
                    cols.append(vocabulary[gram])
                    values.append((1 + np.log(count)) * idf[vocabulary[gram]])
        found = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)))
        norms = np.sqrt(np.asarray(found.multiply(found).sum(axis=1)).ravel())
        return sparse.csr_matrix(sparse.diags(1 / np.where(norms > 0, norms, 1)) @ found)

    return matrix(train), matrix(test)


def logistic(features: sparse.csr_matrix, labels: np.ndarray, c: float = 1.0) -> np.ndarray:
    """Weights (bias last) of balanced, L2-regularised logistic regression."""
    n, width = features.shape
    positives = max(1.0, labels.sum())
    weight = np.where(labels > 0, n / (2 * positives), n / (2 * max(1.0, n - positives)))
    signs = np.where(labels > 0, 1.0, -1.0)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        margins = signs * (features @ params[:width] + params[width])
        value = float((weight * np.logaddexp(0, -margins)).sum() + 0.5 / c * params[:width] @ params[:width])
        gradient_margin = -weight * signs / (1 + np.exp(np.clip(margins, -30, 30)))
        gradient = np.concatenate([features.T @ gradient_margin + params[:width] / c, [gradient_margin.sum()]])
        return value, gradient

    return np.asarray(optimize.minimize(loss, np.zeros(width + 1), jac=True, method="L-BFGS-B").x)


_RULE_SCALE = 0.3


def context(rows: list[tuple[str, str, bool]]) -> list[list[float]]:
    """Five features of each sentence's place in its debate: the sentence before ends in "?", another speaker said
    it, the speaker's share of the debate's lines, the position (0 to 1), the length (words / 30)."""
    share = Counter(speaker for speaker, _, _ in rows)
    found = []
    for index, (speaker, text, _) in enumerate(rows):
        before = rows[index - 1] if index else ("", "", False)
        found.append(
            [float(before[1].strip().endswith("?")), float(before[0] != speaker), share[speaker] / len(rows),
             index / len(rows), len(text.split()) / 30]
        )  # fmt: skip
    return found


def _feed(rows: list[tuple[str, str, bool]]) -> str:
    return "".join(json.dumps({"text": text, "speaker": speaker}) + "\n" for speaker, text, _ in rows)


def fitted_on_the_others(
    job: tuple[str, str, list[tuple[str, list[tuple[str, str, bool]]]]],
) -> tuple[list[float], str]:
    """The held-out debate's scores from a model ``worthiness fit`` learns on the other debates, and its settings."""
    folder, name, data = job
    scratch = Path(folder)
    labels = scratch / f"{name}.labels.jsonl"
    with labels.open("w", encoding="utf-8") as out:
        for other, rows in data:
            if other != name:
                for speaker, text, label in rows:
                    out.write(json.dumps({"text": text, "speaker": speaker, "label": label, "document": other}) + "\n")
    model_file = scratch / f"{name}.model.json"
    report = fit_model(labels, out=model_file)
    rows = dict(data)[name]
    scores = [scored.score for scored in score_text(_feed(rows), name, read_model(model_file)).scored]
    balanced = "balanced" if report.balanced else "as they come"
    return scores, f"L2 {report.l2:g}, {balanced}, neighbours {report.neighbours:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--context", action="store_true", help="also score with the rule terms and the context")
    parser.add_argument("--workers", type=int, default=1, help="debates fitted at once (processes)")
    args = parser.parse_args()
    data = debates(args.folder)

    with tempfile.TemporaryDirectory() as scratch:
        labels_file = Path(scratch) / "labels.jsonl"
        with labels_file.open("w", encoding="utf-8") as out:
            for name, rows in data:
                for speaker, text, label in rows:
                    out.write(json.dumps({"text": text, "speaker": speaker, "label": label, "document": name}) + "\n")
        examples = _labelled_file(labels_file)
        jobs = [(scratch, name, data) for name, _ in data]
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            fitted_runs = list(pool.map(fitted_on_the_others, jobs))
    truth = np.array([example.label for example in examples], dtype=np.float64)
    design, _ = _design(examples)
    terms = design[:, : len(WORTHINESS_FEATURES)]

    standard = (terms - terms.mean(axis=0)) / (terms.std(axis=0) + 1e-9) * _RULE_SCALE
    placed = np.array([row for _, rows in data for row in context(rows)], dtype=np.float64)
    extra = sparse.csr_matrix(np.hstack([standard, placed]))

    table = []
    start = 0
    for (name, rows), (fitted, settings) in zip(data, fitted_runs, strict=True):
        end = start + len(rows)
        rules = [scored.score for scored in score_text(_feed(rows), name).scored]
        train = [text for other, other_rows in data if other != name for _, text, _ in other_rows]
        train_labels = np.array([label for other, r in data if other != name for _, _, label in r], dtype=np.float64)
        train_matrix, test_matrix = tfidf(train, [text for _, text, _ in rows])
        weights = logistic(train_matrix, train_labels)
        baseline = test_matrix @ weights[:-1] + weights[-1]
        held = truth[start:end]
        row = [name, average_precision(rules, held), average_precision(fitted, held),
               average_precision(baseline, held)]  # fmt: skip
        if args.context:
            outside = np.r_[0:start, end : len(truth)]
            widened = sparse.hstack([train_matrix, extra[outside]]).tocsr()
            weights = logistic(widened, train_labels)
            scores = sparse.hstack([test_matrix, extra[start:end]]).tocsr() @ weights[:-1] + weights[-1]
            row.append(average_precision(scores, held))
        table.append((*row, int(held.sum()), settings))
        start = end

    names = ["rules", "fitted", "baseline", *(["context"] if args.context else [])]
    print(f"{'debate':<28} {'positives':>9} " + " ".join(f"{name:>8}" for name in names) + "  fitted's settings")
    for name, *aps, positives, settings in table:
        print(f"{name:<28} {positives:>9} " + " ".join(f"{ap:>8.3f}" for ap in aps) + f"  {settings}")
    mean = np.mean([row[1 : 1 + len(names)] for row in table], axis=0)
    print(f"{'MAP':<28} {'':>9} " + " ".join(f"{value:>8.3f}" for value in mean))
    above_rules = sum(row[2] > row[1] for row in table)
    above_baseline = sum(row[2] > row[3] for row in table)
    print(f"fitted above the rules on {above_rules} of {len(table)} debates, above the baseline on {above_baseline}")
    if args.context:
        print(f"context above the rules on {sum(row[4] > row[1] for row in table)} of {len(table)} debates")


if __name__ == "__main__":
    main()
