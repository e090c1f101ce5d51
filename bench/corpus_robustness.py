"""Run the per-article stages, then a whole build, over a folder of plain-text articles and check every offset
(claim, context, cue, selector, the speaker mention's place).

Usage: python bench/corpus_robustness.py ../shared/corpora/bbc [--sample 12] [--seed 7]

The corpus is copied to a temporary folder, never into the repository or a dataset. Prints claim counts per type,
undecodable files, timings, and a random sample of claims for spot checks.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from builder.config import BuildConfig, ValidateConfig
from builder.features import from_rows
from builder.models import Claim
from builder.pipeline import build, extract_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sample", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw"
        articles_dir = raw / "articles"
        articles_dir.mkdir(parents=True)
        for path in sorted(args.corpus.rglob("*.txt")):
            if path.name.lower() == "readme.txt":
                continue
            target = articles_dir / path.relative_to(args.corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        started = time.perf_counter()
        result = extract_all(BuildConfig(raw_dir=raw, validation=ValidateConfig(skip_invalid=True)))
        seconds = time.perf_counter() - started
        texts = {a.article_id: a.text for a in result.articles}
        bad = 0
        for claim in result.claims:
            text = texts[claim.article_id]
            spans = [
                (claim.char_start, claim.char_end, claim.text),
                (claim.context_start, claim.context_end, claim.context),
            ]
            if claim.cue is not None:
                spans.append((claim.cue_start, claim.cue_end, claim.cue))
            selector = claim.selector
            spans.append((max(0, claim.char_start - len(selector.prefix)), claim.char_start, selector.prefix))
            spans.append((claim.char_end, claim.char_end + len(selector.suffix), selector.suffix))
            bad += sum(text[s:e] != value for s, e, value in spans) + (selector.exact != claim.text)
            if claim.speaker_start is not None or claim.speaker_end is not None:
                # The speaker is the resolved name, not a slice: the mention must be a span of the text.
                start, end = claim.speaker_start, claim.speaker_end
                bad += not (start is not None and end is not None and 0 <= start < end <= len(text))
        print(f"articles {result.counts.articles_accepted} accepted, {result.counts.articles_rejected} rejected")
        for rejection in result.rejections:
            print(f"  rejected: {rejection}")
        print(f"claims {len(result.claims)}; offset mismatches {bad}; {seconds:.2f} s for ingest..extract")
        for claim_type, count in sorted(Counter(c.claim_type.value for c in result.claims).items()):
            print(f"  {claim_type:18} {count}")
        speakers = Counter(c.speaker for c in result.claims if c.speaker)
        print("top speakers:", ", ".join(f"{name} ({n})" for name, n in speakers.most_common(10)))
        cued = sum(c.cue is not None for c in result.claims)
        print(f"claims with a speaker: {sum(speakers.values())}; with a cue: {cued}")
        started = time.perf_counter()
        out = Path(scratch) / "dist"
        counts = build(BuildConfig(raw_dir=raw, out_dir=out, validation=ValidateConfig(skip_invalid=True))).counts
        print(f"whole build, one process: {time.perf_counter() - started:.2f} s")
        print(
            f"speakers {counts.speakers}; clusters {counts.clusters}, {counts.multi_claim_clusters} with 2+ claims, "
            f"{counts.cross_article_clusters} across articles"
        )
        print(f"claims per split {counts.claims_per_split}; articles per split {counts.articles_per_split}")
        multi: dict[str, list] = {}
        for claim in from_rows(Claim, pq.read_table(out / "claims")):
            if claim.cluster_size > 1:
                multi.setdefault(claim.cluster_id, []).append(claim)
        sizes = Counter(len(members) for members in multi.values())
        print("cluster sizes:", dict(sorted(sizes.items())))
        rng = random.Random(args.seed)
        for members in rng.sample(sorted(multi.values(), key=lambda m: m[0].cluster_id), min(4, len(multi))):
            print("  cluster:", " | ".join(f"[{c.article_id}] {c.text[:70]!r}" for c in members[:3]))
        for claim in rng.sample(result.claims, min(args.sample, len(result.claims))):
            print(f"\n[{claim.article_id}] {claim.claim_type.value} speaker={claim.speaker!r} cue={claim.cue!r}")
            print(f"  text:    {claim.text[:200]!r}")
            print(f"  context: {claim.context[:200]!r}")
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
