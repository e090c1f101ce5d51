"""Match: the same claim in other words, across articles, and the published fact-checks a claim repeats.

Clustering (:mod:`builder.cluster`) finds copies; this stage finds the same claim told in other words. It works on
one claim per cluster (its first, whose id is the cluster's), so copies are compared once, and every claim of a
cluster shares what its first is given.

1. **Words** (on the build's pool when it has one, a run of articles per task): each claim's ``standalone`` text
   cut into its parts (:func:`~builder.match.text.claim_parts`: sentences, and the pieces around a colon or a
   semicolon), each part's content-word stems kept as 32-bit hashes; each fact-check's ``claimReviewed`` the same.
2. **Blocking** (vectorised, in this process): a stem is *rare* when at most ``max_word_claims`` parts hold it. Two
   parts are compared when they share at least ``min_shared_words`` rare stems (one, when their claims have the
   same linked ``speaker_id``), come from two different articles, and their articles were published at most
   ``window_days`` apart (an undated article is near every date). Work grows with the parts and the pairs a rare
   word proposes (at most ``max_word_claims``² / 2 a word), never with all pairs.
3. **Scoring** (on the pool, a run of pairs per task): the default matcher (:mod:`builder.match.pairs`), or the
   fitted model in the raw folder's ``model_file`` (``factpack match fit``), on the two parts, the speakers
   compared by ``speaker_id``; a pair is a match at ``threshold`` (``statement_threshold`` when both claims are
   the outlets' own statements) unless a rule rules it out. Two claims match when some pair of their parts does,
   at that pair's score.
4. **Groups without chaining**: the matched claims, best pair first, join groups only when *every* claim of one
   group matched *every* claim of the other (complete linkage). So A–B and B–C never put A with C unless A–C
   matched too; a matched pair left in two groups (or none) is not published. A group's id is the smallest
   ``claim_id`` in it.
5. **Fact-checks**: a claim and a fact-check proposed by step 2 are scored the same way (the claim's parts against
   ``claimReviewed``'s); the ``factcheck_top`` best matches of each claim are kept, ranked.

Everything is ordered by claim position and id, so the result is the same in every build and with any number
of workers.
"""

from __future__ import annotations

import functools
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from builder.config import MatchConfig
from builder.match.model import match_model_in
from builder.match.pairs import score_pair
from builder.match.text import MatchText, claim_parts, content_words, match_text, stem, words
from builder.models import ClaimType, FactCheck
from builder.spool import SpoolFiles

__all__ = ["ClaimMatches", "MatchStats", "match_claims"]

T = TypeVar("T")
_ARTICLES_PER_TASK = 500
_PAIRS_PER_TASK = 5_000
_NONE = np.uint64(0)


@dataclass(frozen=True)
class MatchStats:
    """What matching found, for the build report and the card."""

    compared: int
    """Pairs of claims the blocking proposed and the matcher scored."""
    matched_pairs: int
    groups: int
    """Match groups of two or more clusters."""
    claims_in_groups: int
    largest_group: int
    factchecks: int
    factcheck_matches: int
    """Clusters' (claim, fact-check) matches kept."""
    claims_with_factcheck: int
    factcheck_rows: int
    """Rows of the factcheck_matches config: every claim of a matched cluster has its cluster's matches."""


@dataclass(frozen=True)
class ClaimMatches:
    """What matching decided, by claim position in the spool."""

    group: np.ndarray
    """uint64 per claim: its match group's id (the smallest claim_id in it), 0 when alone."""
    pairs: list[tuple[int, int, float, tuple[str, ...]]]
    """(position, other position, score, shared words) of each matched pair of clusters' first claims."""
    factchecks: dict[int, list[tuple[int, float]]]
    """cluster id → [(fact-check index, score)], best first: every claim of the cluster has them."""
    stats: MatchStats
    cpu_elsewhere: float = 0.0
    """CPU seconds the pool's processes spent on it."""


@functools.lru_cache(maxsize=1 << 17)
def _stem_hash(word: str) -> int:
    return zlib.crc32(stem(word).encode("utf-8"))


def _hashes(text: str) -> np.ndarray:
    return np.array(sorted({_stem_hash(word) for word in content_words(words(text))}), dtype=np.uint32)


_STATEMENT = list(ClaimType).index(ClaimType.AUTHOR_STATEMENT)  # rows hold a ClassLabel's index


def _words_of(files: SpoolFiles, articles: list[int], first: np.ndarray) -> list[Owner]:
    """(position, stem hashes of each part, speaker, an outlet's own statement?) of the clusters' first claims
    among ``articles``' claims (any process)."""
    found = []
    for article, batch in zip(articles, files.iter_claims(articles), strict=True):
        start = int(files.claim_start[article])
        columns = ("standalone", "speaker", "claim_type")
        rows = zip(*(batch.column(name).to_pylist() for name in columns), strict=True)
        for offset, (text, speaker, claim_type) in enumerate(rows):
            if first[start + offset]:
                parts = [_hashes(part) for part in claim_parts(text)]
                found.append((start + offset, parts, speaker, claim_type == _STATEMENT))
    return found


def _texts_of(files: SpoolFiles, articles: list[int], wanted: set[int]) -> dict[int, str]:
    """position → standalone text of the ``wanted`` claims among ``articles``' claims (any process)."""
    found = {}
    for article, batch in zip(articles, files.iter_claims(articles), strict=True):
        start = int(files.claim_start[article])
        for offset, text in enumerate(batch.column("standalone").to_pylist()):
            if start + offset in wanted:
                found[start + offset] = text
    return found


Part = tuple[int, int]
"""(claim position, part number) — or, for a fact-check, (-1 - its index, 0)."""
Owner = tuple[int, list[np.ndarray], str | None, bool]
"""(claim position — or -1 - a fact-check's index —, stem hashes of each part, speaker, an outlet's own statement?)"""
Candidate = tuple[Part, Part, bool | None, bool]
"""Two parts to score, whether their speakers agree (None: unknown) and whether both are outlets' statements."""


def _scored(
    pairs: list[Candidate],
    texts: dict[int, str],
    thresholds: tuple[float, float],
    model_file: Path,
) -> list[tuple[Part, Part, float, tuple[str, ...]]]:
    """The matched ones of ``pairs`` of parts, each with whether their speakers agree and whether both are outlets'
    own statements (any process): (part, other part, score, shared stems). Scored by the fitted model in
    ``model_file`` when there is one, else by the default matcher."""
    model = match_model_in(model_file)
    parts = {position: claim_parts(text) for position, text in texts.items()}
    read: dict[Part, MatchText] = {}

    def text_of(part: Part) -> MatchText:
        if part not in read:
            read[part] = match_text(parts[part[0]][part[1]])
        return read[part]

    kept = []
    for first, second, agree, statements in pairs:
        one, other = text_of(first), text_of(second)
        result = score_pair(one, other, speakers_agree=agree, statements=statements, thresholds=thresholds, model=model)
        if result.match:
            kept.append((first, second, result.score, tuple(sorted(one.stems & other.stems))))
    return kept


def _timed(function: Callable[..., T], *arguments: Any) -> tuple[T, float]:
    started = time.process_time()
    return function(*arguments), time.process_time() - started


class _Runner:
    """Runs tasks on the build's pool when there is one, adding up the CPU seconds its processes spend."""

    def __init__(self, pool: Executor | None) -> None:
        self.pool, self.elsewhere = pool, 0.0

    def run(self, function: Callable[..., T], tasks: Sequence[tuple[Any, ...]]) -> list[T]:
        """``function`` over ``tasks`` (argument tuples), results in task order."""
        if self.pool is None:
            return [function(*task) for task in tasks]
        done = [job.result() for job in [self.pool.submit(_timed, function, *task) for task in tasks]]
        self.elsewhere += sum(cpu for _, cpu in done)
        return [result for result, _ in done]


def _chunks(values: list[int], size: int) -> list[list[int]]:
    return [values[at : at + size] for at in range(0, len(values), size)]


def _shared_counts(hashes: list[np.ndarray], max_items: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first item, second item, rare stems shared) of every pair of items sharing a rare stem, first < second."""
    flat = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint32)
    owner = np.repeat(np.arange(len(hashes), dtype=np.int64), [len(h) for h in hashes])
    _, word, df = np.unique(flat, return_inverse=True, return_counts=True)
    rare = (df[word] >= 2) & (df[word] <= max_items)
    order = np.lexsort((owner[rare], word[rare]))
    word, owner = word[rare][order], owner[rare][order]
    starts = np.flatnonzero(np.r_[True, word[1:] != word[:-1]]) if word.size else np.empty(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, word.size])
    keys = [np.empty(0, dtype=np.int64)]
    for size in np.unique(sizes).tolist():
        members = owner[starts[sizes == size][:, None] + np.arange(size)]
        first, second = np.triu_indices(size, 1)
        keys.append(((members[:, first] << 32) | members[:, second]).ravel())
    pairs, shared = np.unique(np.concatenate(keys), return_counts=True)
    return pairs >> 32, pairs & 0xFFFFFFFF, shared


def _groups(matched: list[tuple[int, int, float, tuple[str, ...]]]) -> list[list[int]]:
    """Complete-linkage groups of the matched pairs (positions), best pair first: two groups join only when every
    member of one matched every member of the other."""
    linked = {(first, second) for first, second, _, _ in matched}
    group_of: dict[int, list[int]] = {}
    for first, second, _, _ in sorted(matched, key=lambda pair: (-pair[2], pair[0], pair[1])):
        one, other = group_of.get(first, [first]), group_of.get(second, [second])
        if one is other:
            continue
        if all((min(a, b), max(a, b)) in linked for a in one for b in other):
            joined = sorted(one + other)
            for member in joined:
                group_of[member] = joined
    unique = {id(group): group for group in group_of.values()}
    return sorted(unique.values())


def match_claims(
    files: SpoolFiles,
    claim_ids: np.ndarray,
    cluster_id: np.ndarray,
    article_of_claim: np.ndarray,
    published: Sequence[date | None],
    speaker_ids: dict[str, str],
    factchecks: Sequence[FactCheck],
    cfg: MatchConfig,
    pool: Executor | None = None,
    model_file: Path | None = None,
) -> ClaimMatches:
    """Match the spool's claims with each other and with ``factchecks`` (see the module's docstring);
    ``speaker_ids`` gives the linked id of each speaker text."""
    claims = int(claim_ids.size)
    if not cfg.enabled or not claims:
        empty = MatchStats(0, 0, 0, 0, 0, len(factchecks), 0, 0, 0)
        return ClaimMatches(np.zeros(claims, dtype=np.uint64), [], {}, empty)
    runner = _Runner(pool)
    articles = list(range(int(files.claim_start.size) - 1))
    first = claim_ids == cluster_id
    owners: list[Owner] = []
    for read in runner.run(_words_of, [(files, chunk, first) for chunk in _chunks(articles, _ARTICLES_PER_TASK)]):
        owners.extend(read)
    owners += [
        (-1 - number, [_hashes(part) for part in claim_parts(check.claim_reviewed)], check.claimant, False)
        for number, check in enumerate(factchecks)
    ]
    candidates = _candidates(owners, article_of_claim, published, speaker_ids, cfg)
    wanted = {part[0] for pair in candidates for part in pair[:2] if part[0] >= 0}
    needed = sorted({int(article_of_claim[p]) for p in wanted})
    texts: dict[int, str] = {-1 - number: check.claim_reviewed for number, check in enumerate(factchecks)}
    for read_texts in runner.run(_texts_of, [(files, chunk, wanted) for chunk in _chunks(needed, _ARTICLES_PER_TASK)]):
        texts.update(read_texts)
    bars = (cfg.threshold, cfg.statement_threshold)
    tasks = []
    for at in range(0, len(candidates), _PAIRS_PER_TASK):
        chunk = candidates[at : at + _PAIRS_PER_TASK]
        used = {part[0] for pair in chunk for part in pair[:2]}
        tasks.append((chunk, {k: texts[k] for k in used}, bars, model_file or Path(cfg.model_file)))
    best: dict[tuple[int, int], tuple[float, tuple[str, ...]]] = {}
    for scored in runner.run(_scored, tasks):
        for (a, _), (b, _), score, stems in scored:
            pair = (min(a, b), max(a, b)) if a >= 0 and b >= 0 else (a, b)  # a fact-check's key stays second
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, stems)
    matched = sorted((a, b, score, stems) for (a, b), (score, stems) in best.items() if b >= 0)
    groups = _groups(matched)
    group = _group_of_claims(cluster_id, groups)
    # a matched pair whose claims complete linkage kept apart (A–B and B–C, not A–C) links no group: not published
    matched = [pair for pair in matched if group[pair[0]] == group[pair[1]] != 0]
    by_cluster = _factcheck_matches(best, cluster_id, cfg.factcheck_top)
    checked = np.isin(cluster_id, np.array(sorted(by_cluster), dtype=np.uint64))
    stats = MatchStats(
        compared=len(candidates),
        matched_pairs=len(matched),
        groups=len(groups),
        claims_in_groups=int(np.count_nonzero(group)),
        largest_group=max((len(members) for members in groups), default=0),
        factchecks=len(factchecks),
        factcheck_matches=sum(len(found_checks) for found_checks in by_cluster.values()),
        claims_with_factcheck=int(checked.sum()),
        factcheck_rows=int(sum(len(by_cluster[int(c)]) for c in cluster_id[checked].tolist())),
    )
    return ClaimMatches(group, matched, by_cluster, stats, runner.elsewhere)


def _candidates(
    owners: list[Owner],
    article_of_claim: np.ndarray,
    published: Sequence[date | None],
    speaker_ids: dict[str, str],
    cfg: MatchConfig,
) -> list[Candidate]:
    """The pairs of parts blocking proposes (step 2 of the module's docstring): claim with claim, claim with
    fact-check; never two parts of one article, nor two fact-checks."""
    key = np.array([owner for owner, parts, _, _ in owners for _ in parts], dtype=np.int64)
    part_no = np.array([number for _, parts, _, _ in owners for number in range(len(parts))], dtype=np.int64)
    statement = {owner: own for owner, _, _, own in owners}
    linked = {owner: speaker_ids.get(speaker or "") for owner, _, speaker, _ in owners}
    speaker_index = {found: number for number, found in enumerate(sorted({v for v in linked.values() if v}))}
    speaker = np.array([speaker_index.get(linked[k] or "", -1) for k in key.tolist()], dtype=np.int64)
    is_check = key < 0
    article = np.where(is_check, -1, article_of_claim[np.where(is_check, 0, key)])
    day_of_article = np.array([-1 if day is None else day.toordinal() for day in published], dtype=np.int64)
    day = np.where(is_check, -1, day_of_article[np.maximum(article, 0)])
    one, other, shared = _shared_counts([hashes for _, parts, _, _ in owners for hashes in parts], cfg.max_word_claims)
    near = (day[one] < 0) | (day[other] < 0)
    if cfg.window_days is not None:
        near |= np.abs(day[one] - day[other]) <= cfg.window_days
    else:
        near[:] = True
    same_speaker = (speaker[one] >= 0) & (speaker[one] == speaker[other])
    enough = (shared >= cfg.min_shared_words) | same_speaker
    between_claims = ~is_check[one] & ~is_check[other] & (article[one] != article[other]) & near & enough
    # fact-checks were appended after every claim's parts, so in a pair they are always the second
    with_check = ~is_check[one] & is_check[other] & (shared >= cfg.min_shared_words)
    selected = np.flatnonzero(between_claims | with_check)
    candidates = []
    for a, b in zip(one[selected].tolist(), other[selected].tolist(), strict=True):
        agree = None if speaker[a] < 0 or speaker[b] < 0 else bool(speaker[a] == speaker[b])
        both = statement[int(key[a])] and statement[int(key[b])]
        candidates.append(((int(key[a]), int(part_no[a])), (int(key[b]), int(part_no[b])), agree, both))
    return candidates


def _factcheck_matches(
    best: dict[tuple[int, int], tuple[float, tuple[str, ...]]], cluster_id: np.ndarray, top: int
) -> dict[int, list[tuple[int, float]]]:
    """cluster id → its ``top`` fact-check matches (index, score), best first, from the scored claim–fact-check
    pairs of ``best`` (those whose second key is a fact-check's)."""
    found: dict[int, list[tuple[int, float]]] = {}
    for (position, check), (score, _) in sorted(best.items()):
        if check < 0:
            found.setdefault(int(cluster_id[position]), []).append((-1 - check, score))
    return {cluster: sorted(checks, key=lambda item: (-item[1], item[0]))[:top] for cluster, checks in found.items()}


def _group_of_claims(cluster_id: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """Each claim's match group id (0: none), through its cluster: a group holds whole clusters."""
    members = np.array([cluster_id[p] for found in groups for p in found], dtype=np.uint64)
    ids = np.array([min(cluster_id[p] for p in found) for found in groups for _ in found], dtype=np.uint64)
    order = np.argsort(members, kind="stable")
    members, ids = members[order], ids[order]
    at = np.clip(np.searchsorted(members, cluster_id), 0, max(members.size - 1, 0))
    if not members.size:
        return np.zeros(cluster_id.size, dtype=np.uint64)
    found = members[at] == cluster_id
    return np.where(found, ids[at], _NONE)
