from __future__ import annotations

import json
from collections import Counter

import pytest

from builder.config import LinkConfig
from builder.errors import InputError
from builder.link import link_speakers, read_curated_speakers, slug, speakers_table
from builder.models import CuratedSpeaker
from conftest import make_claim


def speakers_of(claims, curated=()):
    """Each claim's speaker id, and the speakers table by id."""
    spoken = Counter(c.speaker for c in claims if c.speaker)
    titled = {(c.speaker, c.speaker_title) for c in claims if c.speaker and c.speaker_title}
    identities = link_speakers(spoken, titled, list(curated))
    ids = [identities.ids[c.speaker][0] if c.speaker in identities.ids else None for c in claims]
    per_article = {(c.article_id, speaker_id) for c, speaker_id in zip(claims, ids, strict=True) if speaker_id}
    table = speakers_table(identities, spoken, Counter(speaker_id for _, speaker_id in per_article))
    return ids, {s.speaker_id: s for s in table}


def test_full_names_surnames_variants_and_roles_link_across_articles():
    claims = [
        make_claim("a", "one", speaker="Jens Stoltenberg", speaker_title="NATO Secretary General"),
        make_claim("b", "two", speaker="Stoltenberg"),
        make_claim("c", "three", speaker="the NATO chief"),
        make_claim("d", "four", speaker="Vince Cable"),
        make_claim("e", "five", speaker="Vincent Cable"),
        make_claim("e", "six", start=9, speaker="Vincent Cable"),
        make_claim("f", "seven", speaker="Analysts"),
        make_claim("g", "eight"),
    ]
    ids, table = speakers_of(claims)
    assert ids == ["jens-stoltenberg"] * 3 + ["vincent-cable"] * 3 + [None, None]
    stoltenberg = table["jens-stoltenberg"]
    assert (stoltenberg.claim_count, stoltenberg.article_count) == (3, 3)
    assert stoltenberg.aliases == ["Stoltenberg", "the NATO chief"]
    assert stoltenberg.titles == ["NATO Secretary General"]
    assert table["vincent-cable"].aliases == ["Vince Cable"]


def test_a_surname_shared_by_two_people_stays_unlinked():
    claims = [make_claim("a", "x", speaker="Tony Blair"), make_claim("b", "y", speaker="Cherie Blair"),
              make_claim("c", "z", speaker="Blair")]  # fmt: skip
    ids, _ = speakers_of(claims)
    assert ids == ["tony-blair", "cherie-blair", None]


def test_a_middle_name_links_only_names_of_as_many_words():
    claims = [make_claim("a", "x", speaker="Mary Ann Smith"), make_claim("b", "y", speaker="Mary Anne Smith"),
              make_claim("c", "z", speaker="Mary Smith"), make_claim("d", "w", speaker="Mary Ann Jones")]  # fmt: skip
    ids, table = speakers_of(claims)
    assert ids == ["mary-anne-smith", "mary-anne-smith", "mary-smith", "mary-ann-jones"]
    assert table["mary-anne-smith"].aliases == ["Mary Ann Smith"]


def test_curated_speakers_override_inference():
    curated = [
        CuratedSpeaker(name="Jens Stoltenberg", aliases=["the NATO boss"], qid="Q57658", speaker_id="stoltenberg")
    ]
    ids, table = speakers_of([make_claim("a", "x", speaker="the NATO boss")], curated)
    assert ids == ["stoltenberg"] and table["stoltenberg"].qid == "Q57658"


def test_curated_file_errors_name_the_entry_and_field(tmp_path):
    assert read_curated_speakers(tmp_path, LinkConfig()) == []
    (tmp_path / "speakers.json").write_text(
        json.dumps([{"name": "A B"}, {"name": "C D", "qid": "57"}]), encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"speakers.json: entry 1: qid"):
        read_curated_speakers(tmp_path, LinkConfig())


def test_slug():
    assert slug("Ségolène Royal") == "segolene-royal" and slug("!!") == "speaker"


def test_curating_a_speaker_keeps_the_inferred_links():
    claims = [
        make_claim("a", "one", speaker="Jens Stoltenberg", speaker_title="NATO Secretary General"),
        make_claim("b", "two", speaker="Stoltenberg"),
        make_claim("c", "three", speaker="the NATO secretary general"),
    ]
    ids, table = speakers_of(claims, [CuratedSpeaker(name="Jens Stoltenberg", qid="Q57658")])
    assert ids == ["jens-stoltenberg"] * 3
    assert table["jens-stoltenberg"].titles == ["NATO Secretary General"]
    assert table["jens-stoltenberg"].claim_count == 3 and table["jens-stoltenberg"].qid == "Q57658"
