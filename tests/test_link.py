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


def titled(article: str, speaker: str, title: str | None = None):
    return make_claim(article, f"claim of {article}", speaker=speaker, speaker_title=title)


@pytest.mark.parametrize(
    ("holders", "role"),
    [
        ([("Anna Berg", "Finance Minister"), ("Jan Nowak", "Health Minister")], "The minister"),
        ([("Anna Berg", "Finance Minister"), ("Jan Nowak", "Minister")], "The minister"),
        ([("Anna Berg", "Finance Minister"), ("Jan Nowak", "Finance Minister")], "the finance minister"),
        ([("Jens Stoltenberg", "NATO Secretary General"), ("Ola Lis", "NATO Spokesperson")], "the NATO chief"),
    ],
    ids=["the-role-word-twice", "and-a-bare-minister", "the-whole-role-twice", "a-qualifier-twice"],
)
def test_a_role_two_people_hold_in_the_corpus_links_to_no_one(holders, role):
    claims = [titled(f"a{n}", name, title) for n, (name, title) in enumerate(holders)] + [titled("r", role)]
    ids, table = speakers_of(claims)
    assert ids[-1] is None
    assert all(role not in speaker.aliases for speaker in table.values())


@pytest.mark.parametrize(
    ("holders", "role", "linked"),
    [
        ([("Anna Berg", "Finance Minister"), ("Ola Lis", "NATO Spokesperson")], "The minister", "anna-berg"),
        ([("Anna Berg", "Finance Minister"), ("Jan Nowak", "Health Minister")], "The finance minister", "anna-berg"),
        ([("Anna Berg", "Finance Minister"), ("Donald Tusk", "Prime Minister")], "the prime minister", "donald-tusk"),
        ([("Jens Stoltenberg", "NATO Secretary-General"), ("Anna Berg", "Finance Minister")],
         "the NATO secretary general", "jens-stoltenberg"),
        ([("Jens Stoltenberg", "NATO Secretary General"), ("Anna Berg", "Finance Minister")], "the NATO chief",
         "jens-stoltenberg"),
    ],
    ids=["role-word", "whole-role", "prime-minister", "hyphenated-title", "qualifier"],
)  # fmt: skip
def test_a_role_one_person_holds_in_the_corpus_links_to_that_person(holders, role, linked):
    claims = [titled(f"a{n}", name, title) for n, (name, title) in enumerate(holders)] + [titled("r", role)]
    ids, table = speakers_of(claims)
    assert ids[-1] == linked
    assert role in table[linked].aliases and table[linked].article_count == 2


@pytest.mark.parametrize(
    "role",
    [
        "The governor",
        "the NATO chief",
        "A minister",
        "minister",
        "The Finance Ministry",  # no role word at its head: an organisation
        "the finance minister's office",
        "The Democratic Senatorial Campaign Committee",  # a role word inside a word, an organisation a title holds
    ],
)
def test_a_role_no_one_in_the_corpus_holds_or_no_role_phrase_links_to_no_one(role):
    claims = [
        titled("a", "Anna Berg", "Finance Minister"),
        titled("b", "Jan Nowak"),
        titled("c", "Jon Tester", "Democratic Senatorial Campaign Committee Chairman"),
        titled("r", role),
    ]
    ids, _ = speakers_of(claims)
    assert ids[-1] is None


# --- end to end: the speakers of a built dataset ---

STORIES = {
    "berg": "Tax plan\n\nFinance Minister Anna Berg said taxes would fall next year.\n",
    "nowak": "Hospital plan\n\nHealth Minister Jan Nowak said hospitals would get more money.\n",
    "role": "Budget row\n\nThe minister said the budget was fair.\n",
    "nato_1": "Summit\n\nNATO Secretary General Jens Stoltenberg said the alliance would stay united.\n",
    "nato_2": "Talks\n\nStoltenberg said Russia must withdraw its troops.\n",
    "nato_3": "Visit\n\nThe NATO chief said the allies would spend more on defence.\n",
}


def built_speakers(tmp_path, stories, curated=None):
    """Each claim's (speaker, speaker_id) by article, and the speakers config by id, of a dataset built from
    ``stories``."""
    from builder.config import BuildConfig
    from builder.pipeline import build
    from conftest import rows_of

    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    for name, text in stories.items():
        (raw / "articles" / f"{name}.txt").write_text(text, encoding="utf-8")
    if curated is not None:
        (raw / "speakers.json").write_text(json.dumps(curated), encoding="utf-8")
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist"))
    claims = {row["article_id"]: (row["speaker"], row["speaker_id"]) for row in rows_of(tmp_path / "dist", "claims")}
    return claims, {row["speaker_id"]: row for row in rows_of(tmp_path / "dist", "speakers")}


def test_a_built_dataset_gives_one_speaker_id_per_speaker_and_none_to_an_ambiguous_role(tmp_path):
    claims, speakers = built_speakers(tmp_path, STORIES)
    assert claims == {
        "berg": ("Anna Berg", "anna-berg"),
        "nowak": ("Jan Nowak", "jan-nowak"),
        "role": ("The minister", None),  # two ministers in the corpus
        "nato_1": ("Jens Stoltenberg", "jens-stoltenberg"),
        "nato_2": ("Stoltenberg", "jens-stoltenberg"),
        "nato_3": ("The NATO chief", "jens-stoltenberg"),
    }
    assert sorted(speakers) == ["anna-berg", "jan-nowak", "jens-stoltenberg"]
    stoltenberg = speakers["jens-stoltenberg"]
    assert (stoltenberg["name"], stoltenberg["aliases"]) == ("Jens Stoltenberg", ["Stoltenberg", "The NATO chief"])
    assert (stoltenberg["claim_count"], stoltenberg["article_count"], stoltenberg["qid"]) == (3, 3, None)
    assert stoltenberg["titles"] == ["NATO Secretary General"]


def test_a_built_dataset_links_a_role_one_person_holds(tmp_path):
    stories = {name: text for name, text in STORIES.items() if name != "nowak"}
    claims, speakers = built_speakers(tmp_path, stories)
    assert claims["role"] == ("The minister", "anna-berg")
    assert speakers["anna-berg"]["aliases"] == ["The minister"] and speakers["anna-berg"]["article_count"] == 2


def test_curated_speakers_override_what_is_inferred_in_a_built_dataset(tmp_path):
    curated = [
        {"name": "Jan Nowak", "aliases": ["The minister"], "qid": "Q1", "speaker_id": "nowak"},
        {"name": "Jens Stoltenberg", "qid": "Q57658", "speaker_id": "stoltenberg"},
        {"name": "Anna Berg", "aliases": ["The NATO chief"]},  # a curator's alias beats the inferred link
    ]
    claims, speakers = built_speakers(tmp_path, STORIES, curated)
    assert claims == {
        "berg": ("Anna Berg", "anna-berg"),
        "nowak": ("Jan Nowak", "nowak"),
        "role": ("The minister", "nowak"),
        "nato_1": ("Jens Stoltenberg", "stoltenberg"),
        "nato_2": ("Stoltenberg", "stoltenberg"),
        "nato_3": ("The NATO chief", "anna-berg"),
    }
    assert (speakers["nowak"]["qid"], speakers["nowak"]["aliases"], speakers["nowak"]["article_count"]) == (
        "Q1",
        ["The minister"],
        2,
    )
    assert (speakers["stoltenberg"]["qid"], speakers["stoltenberg"]["aliases"]) == ("Q57658", ["Stoltenberg"])
    assert speakers["anna-berg"]["qid"] is None and speakers["anna-berg"]["aliases"] == ["The NATO chief"]


def test_a_curated_type_overrides_the_inferred_one_on_the_speaker_and_every_claim_linked_to_it(tmp_path):
    """ "Pinewood Kestrel" reads as a person's name; the curator says it is a company."""
    from conftest import rows_of

    stories = {
        "shop": "Shops\n\nPinewood Kestrel said its shops would open on Sundays.\n",
        "mill": "Mill\n\nMarta Quillon said the mill would close.\n",
    }
    curated = [{"name": "Pinewood Kestrel", "type": "organisation"}]
    _, speakers = built_speakers(tmp_path, stories, curated)
    types = {row["speaker"]: row["speaker_type"] for row in rows_of(tmp_path / "dist", "claims")}
    assert types == {"Pinewood Kestrel": 1, "Marta Quillon": 0}  # organisation, person
    assert speakers["pinewood-kestrel"]["speaker_type"] == 1 and speakers["marta-quillon"]["speaker_type"] == 0


def test_a_speakers_type_is_what_most_of_its_claims_say_ties_by_the_enum_order():
    claims = [make_claim("a", "x", speaker="Anna Berg"), make_claim("b", "y", speaker="Ms Berg")]
    identities = link_speakers(Counter(c.speaker for c in claims), [], [])
    typed = Counter({("Anna Berg", "group"): 2, ("Ms Berg", "person"): 1, ("Ms Berg", "organisation"): 1})
    (row,) = speakers_table(identities, Counter({"Anna Berg": 2, "Ms Berg": 2}), Counter(), typed)
    assert row.speaker_type == "group"
    tie = Counter({("Anna Berg", "organisation"): 1, ("Ms Berg", "person"): 1})
    (row,) = speakers_table(identities, Counter({"Anna Berg": 1, "Ms Berg": 1}), Counter(), tie)
    assert row.speaker_type == "person"
