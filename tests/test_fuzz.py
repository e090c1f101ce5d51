"""Hypothesis fuzzing of ingest → clean → validate → extract on arbitrary bytes and Unicode, bounded for CI."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.config import BuildConfig, ValidateConfig
from builder.pipeline import extract_all

text_parts = st.one_of(
    st.text(max_size=80),
    st.sampled_from(['"', "“", "”", "«", "»", "\r\n", "\r", "\n\n", "\ufeff", "\u200b", "\xa0", "\t", "said", "Mr. ",
                     "WARSAW — ", "By Anna Berg", "Share this article", "A Message from X:", "Jens Stoltenberg: ",
                     "According to him, ", "?", "…", "- ", "February 30, 2014\n", "\n31/02/2014\n", "2014-13-45"]),
)  # fmt: skip
texts = st.lists(text_parts, max_size=25).map("".join)
sidecars = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.dictionaries(
        st.sampled_from(["title", "outlet", "url", "published", "language", "notes", "colour"]),
        st.one_of(st.none(), st.text(max_size=20), st.integers(), st.sampled_from(["2014-10-06", "https://a.b/c"])),
        max_size=4,
    ).map(json.dumps),
)
files = st.lists(st.tuples(st.one_of(texts.map(str.encode), st.binary(max_size=60)), sidecars), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files, st.lists(texts, max_size=3))
def test_no_exception_escapes_and_every_offset_is_exact(articles, jsonl_texts):
    raw = Path(tempfile.mkdtemp(prefix="factpack-fuzz-"))
    try:
        folder = raw / "articles"
        folder.mkdir()
        for number, (content, sidecar) in enumerate(articles):
            (folder / f"a{number}.txt").write_bytes(content)
            if sidecar is not None:
                (folder / f"a{number}.json").write_text(sidecar, encoding="utf-8")
        lines = [json.dumps({"text": text}) for text in jsonl_texts]
        if lines:
            (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = extract_all(BuildConfig(raw_dir=raw, validation=ValidateConfig(skip_invalid=True)))
        counts = result.counts
        assert counts.articles_seen == counts.articles_accepted + counts.articles_rejected
        assert counts.articles_seen == len(articles) + sum(1 for text in jsonl_texts)
        texts_by_id = {article.article_id: article.text for article in result.articles}
        for claim in result.claims:
            text = texts_by_id[claim.article_id]
            assert text[claim.char_start : claim.char_end] == claim.text
            assert text[claim.context_start : claim.context_end] == claim.context
            if claim.cue is not None:
                assert text[claim.cue_start : claim.cue_end] == claim.cue
        for article in result.articles:
            for span in [*article.body, *article.excluded]:
                assert 0 <= span.start <= span.end <= len(article.text)
    finally:
        shutil.rmtree(raw)
