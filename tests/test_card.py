from __future__ import annotations

from datetime import date

import pytest
import yaml
from datasets import Features
from pydantic import ValidationError

from builder.features import features_of
from builder.models import Claim, ClaimType, Creator, CueKind, DatasetMeta, Rejection, Stage
from builder.write.card import (
    CardFacts,
    ConfigCard,
    SplitCard,
    render_about,
    render_card,
    render_feature_type,
    render_fields,
    render_front_matter,
    render_labels,
    render_license,
    render_quality,
    render_quality_table,
    render_rejections,
    render_table,
)
from builder.write.quality import (
    Accuracy,
    CorpusQuality,
    CueKindRow,
    HandCheck,
    QualityRecord,
    QualityRow,
    QualityTable,
    load_quality,
)
from conftest import REPO


def claims_config(rows: int = 3) -> ConfigCard:
    splits = [SplitCard("train", "claims/train-*.parquet", rows, 100), SplitCard("test", "claims/test-*.parquet", 1, 9)]
    return ConfigCard("claims", splits, features_of(Claim)._to_yaml_list(), Claim)


def facts(**changes) -> CardFacts:
    base = {
        "meta": DatasetMeta(pretty_name="demo"),
        "citation": "@misc{demo}",
        "languages": ["en"],
        "configs": [claims_config()],
        "articles_seen": 2,
        "articles_rejected": 0,
        "outlets": [("Wire", 2, 3)],
        "field_sources": [("title", 1, 1, 0)],
        "excluded_kinds": [("title", 2)],
        "claim_types": [("direct_quote", 3)],
        "speakers": [("Anna Berg", 3)],
        "splits": [("train", 2, 3), ("validation", 0, 0), ("test", 1, 1)],
        "split_rule": "Assignment is by hash.",
        "cluster_rule": "MinHash.",
        "clusters": [("clusters", 4)],
        "rejections": [],
    }
    base.update(changes)
    return CardFacts(**base)


def test_render_table_escapes_pipes_and_newlines():
    assert render_table(("a", "b"), [("x|y", "1\n2")]) == "| a | b |\n|---|---|\n| x\\|y | 1 2 |"


def test_render_feature_type_names_nested_types():
    assert render_feature_type("string") == "string"
    assert render_feature_type({"class_label": {"names": {"0": "a", "1": "b"}}}) == "class label (a, b)"
    assert render_feature_type({"list": [{"name": "s", "dtype": "int64"}]}) == "list of {s: int64}"


def test_render_fields_takes_descriptions_from_the_model():
    table = render_fields(claims_config())
    assert "| `char_start` | int64 | Code-point offset of the first character in the raw text. |" in table


def test_render_rejections():
    assert render_rejections([]) == "No input was rejected."
    problem = Rejection(file="a.json", loc="published", reason="bad", stage=Stage.VALIDATE, article="a.txt")
    assert render_rejections([problem]).splitlines()[-1] == "| a.json |  | published | bad | rejected |"
    dropped = problem.model_copy(update={"kept": True})
    assert render_rejections([dropped]).splitlines()[-1] == "| a.json |  | published | bad | kept, this field dropped |"


def test_front_matter_declares_configs_and_features():
    yaml = render_front_matter(facts())
    assert "config_name: claims" in yaml and "path: claims/train-*.parquet" in yaml and "default: true" in yaml
    from huggingface_hub import DatasetCard

    info = DatasetCard(f"---\n{yaml}\n---\n").data.to_dict()["dataset_info"][0]
    assert Features._from_yaml_list(info["features"]) == features_of(Claim)
    assert info["splits"] == [
        {"name": "train", "num_bytes": 100, "num_examples": 3},
        {"name": "test", "num_bytes": 9, "num_examples": 1},
    ]
    assert "path: claims/test-*.parquet" in yaml


def test_render_card_fills_every_placeholder():
    card = render_card(facts())
    assert card.startswith("---\n") and "\n---\n\n# demo\n" in card
    assert "$" not in card.replace("$$", "")


def test_repository_card_is_the_card_of_the_raw_folder(seed_dist):
    expected = (seed_dist / "README.md").read_text(encoding="utf-8")
    actual = (REPO / "DATASET_CARD.md").read_text(encoding="utf-8")
    assert actual == expected, "DATASET_CARD.md is stale: run 'factpack build raw && cp dist/README.md DATASET_CARD.md'"


def test_about_says_nothing_without_curated_metadata():
    assert render_about(DatasetMeta()) == ""


def test_about_gives_description_creators_and_home_page():
    meta = DatasetMeta(
        description="Ten articles.",
        creators=[Creator(name="Ana Lima", kind="person", url="https://example.org/ana"), Creator(name="Desk")],
        homepage="https://example.org/data",
    )
    assert render_about(meta) == (
        "Ten articles.\n\nCurated by [Ana Lima](https://example.org/ana), Desk.\n\n"
        "Home page: <https://example.org/data>.\n\n"
    )


def test_license_names_terms_when_given():
    assert render_license(DatasetMeta()) == "`other` (Article texts: each publisher's own terms)"
    assert render_license(DatasetMeta(license="mit")) == "`mit`"
    meta = DatasetMeta(license="other", license_name="Publisher terms", license_link="https://example.org/terms")
    assert render_license(meta) == "`other` (Publisher terms), terms at <https://example.org/terms>"


def test_front_matter_carries_license_name_and_link():
    meta = DatasetMeta(pretty_name="demo", license_name="Publisher terms", license_link="https://example.org/t")
    data = yaml.safe_load(render_front_matter(facts(meta=meta)))
    assert (data["license"], data["license_name"], data["license_link"]) == (
        "other",
        "Publisher terms",
        "https://example.org/t",
    )


def test_card_ends_with_the_citation():
    card = render_card(facts(citation="@misc{demo_2020,\n  title = {{demo}}\n}"))
    assert card.rstrip().endswith("```bibtex\n@misc{demo_2020,\n  title = {{demo}}\n}\n```")


def test_render_worthiness_names_the_score_the_dataset_carries():
    from builder.extract.worthiness_model import WorthinessModel
    from builder.learn import LinearModel
    from builder.write.card import render_worthiness

    assert render_worthiness(None) == "In this dataset `check_worthiness` is that rule score."
    model = WorthinessModel(
        linear=LinearModel(bias=-1.0, weights={"number": 0.5}, slots={7: 0.25}, buckets=16, idf={7: 1.5}),
        sizes=(1,),
        settings={"l2": 0.0001, "balanced": False, "neighbours": 0.3},
        training={"source": "labels.jsonl", "sha256": "0" * 64, "examples": 80, "positives": 20},
        quality={"folds": 5, "cv_ap": 0.61, "cv_map": 0.58, "rules_ap": 0.4, "rules_map": 0.38},
    )
    text = render_worthiness(model)
    assert f"SHA-256 `{model.sha256}`" in text and "80 labelled texts, 20 check-worthy" in text
    assert "average precision 0.610 (the rules: 0.400), MAP 0.580 over held-out documents (the rules: 0.380)" in text
    assert "chose (L2 0.0001, classes as they come, neighbours 0.3)." in text
    assert text.endswith(f"ends in `+model-{model.sha256[:12]}`.")
    from dataclasses import replace

    one_document = render_worthiness(replace(model, quality={**model.quality, "cv_map": None, "rules_map": None}))
    assert "MAP" not in one_document


def test_render_credentials_states_the_rule_and_what_this_build_took():
    from builder.models.reports import StrippedCredentials
    from builder.urls import rule
    from builder.write.card import render_credentials

    assert render_credentials(StrippedCredentials()) == (
        f"Credentials are never published. {rule()}. No article URL of this build carried one."
    )
    taken = StrippedCredentials(urls=3, logins=1, parameters={"sig": 2, "token": 1})
    assert render_credentials(taken).endswith(
        ". In this build 3 article URLs lost credentials: 1 login, `sig` in 2, `token` in 1."
    )
    one = StrippedCredentials(urls=1, logins=0, parameters={"sid": 1})
    assert render_credentials(one).endswith(". In this build 1 article URL lost credentials: `sid` in 1.")


def test_the_card_carries_the_credentials_sentence():
    from builder.models.reports import StrippedCredentials

    card = render_card(facts(credentials=StrippedCredentials(urls=2, logins=2)))
    assert "In this build 2 article URLs lost credentials: 2 logins." in card
    assert "Every article URL loses its login (`user:password@`)" in card


def test_render_uneven_splits_names_each_split_and_why_and_nothing_when_the_splits_are_close():
    from builder.models import Split
    from builder.models.reports import UnevenSplit
    from builder.write.card import render_uneven_splits

    def uneven(split: Split, asked: float, share: float, claims: int) -> UnevenSplit:
        why = "the 4 articles form 1 group linked by 3 cross-article clusters, and a group never spans splits"
        return UnevenSplit(
            split=split, asked=asked, share=share, claims=claims, articles=4 if claims else 0, groups=1,
            largest_group=4, cross_article_clusters=3, why=why, fix="add articles",
        )  # fmt: skip

    assert render_uneven_splits([]) == ""
    both = [uneven(Split.VALIDATION, 0.1, 0.0, 0), uneven(Split.TEST, 0.15, 1.0, 12)]
    why = "the 4 articles form 1 group linked by 3 cross-article clusters, and a group never spans splits."
    assert render_uneven_splits(both) == (
        "\n\n**Uneven splits**: whole groups could not meet the ratios in this build (a split is reported when it is "
        "empty, or off by more than 10 percentage points and by more than half its share):\n\n"
        f"- `validation` is empty (asked 10%): {why}\n- `test` holds 100% of the claims (asked 15%): {why}"
    )
    card = render_card(facts(uneven_splits=both, split_rule="Assignment is by hash."))
    assert "Assignment is by hash.\n\n**Uneven splits**: " in card
    assert f"- `test` holds 100% of the claims (asked 15%): {why}\n\n## Claim clusters" in card
    assert "Uneven splits" not in render_card(facts())


def test_render_standalone_counts_the_claims_the_kinds_and_the_flagged():
    from builder.write.card import StandaloneCounts, render_standalone

    counts = StandaloneCounts(resolved=3, kinds={"pronoun": 4, "name": 1, "description": 0}, needs_context=2)
    assert render_standalone(counts, 12) == (
        "In this build 3 of 12 claims (25%) got replacements (4 pronouns, 1 name); 2 are marked `needs_context`."
    )
    none = StandaloneCounts(resolved=0, kinds={"pronoun": 0, "name": 0, "description": 0}, needs_context=1)
    assert render_standalone(none, 5) == "In this build no claim got one; 1 is marked `needs_context`."
    assert render_standalone(none, 0) == "This build has no claims."


def test_the_card_carries_the_standalone_sentence():
    from builder.write.card import StandaloneCounts

    counts = StandaloneCounts(resolved=1, kinds={"pronoun": 0, "name": 0, "description": 1}, needs_context=0)
    card = render_card(facts(standalone=counts))
    assert "got replacements (1 description); 0 are marked `needs_context`." in card
    assert "`standalone` is the claim readable without its article" in card


def test_render_labels_lists_each_label_in_its_pinned_order_with_its_meaning():
    from builder.models import CueKind, SpeakerType
    from builder.write.card import CUE_KINDS, SPEAKER_TYPES

    assert render_labels({CueKind.SPEECH: "words said", CueKind.BELIEF: "what is thought"}) == (
        "- `speech`: words said.\n- `belief`: what is thought."
    )
    assert list(CUE_KINDS) == list(CueKind) and list(SPEAKER_TYPES) == list(SpeakerType)
    assert all(meaning for meaning in (*CUE_KINDS.values(), *SPEAKER_TYPES.values()))


def test_the_card_defines_each_cue_kind_and_speaker_type(seed_dist):
    card = (seed_dist / "README.md").read_text(encoding="utf-8")
    for label in ("speech", "belief", "intention", "person", "organisation", "group"):
        assert f"- `{label}`: " in card


def _quality_table() -> QualityTable:
    row = QualityRow(
        claim_type="all",
        gold=4,
        predicted=5,
        precision=0.6,
        recall=0.75,
        f1=2 / 3,
        speaker_span=Accuracy(correct=2, total=3, accuracy=2 / 3),
        speaker_name=Accuracy(correct=0, total=0, accuracy=0.0),
    )
    kinds = [
        CueKindRow(cue_kind=kind, gold=2, predicted=1, precision=Accuracy(correct=1, total=1, accuracy=1.0))
        for kind in CueKind
    ]
    return QualityTable(rows=[row], cue_kinds=kinds)


def test_render_quality_table_gives_scores_speakers_with_counts_and_cue_kinds():
    assert render_quality_table(_quality_table()) == (
        "| claim type | gold | predicted | P | R | F1 | speaker span | speaker name |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| all | 4 | 5 | 0.600 | 0.750 | 0.667 | 0.667 (2/3) | – |\n\n"
        "| cue_kind | gold | predicted | precision where the gold has a kind |\n"
        "|---|---|---|---|\n"
        "| `speech` | 2 | 1 | 1.000 (1/1) |\n"
        "| `belief` | 2 | 1 | 1.000 (1/1) |\n"
        "| `intention` | 2 | 1 | 1.000 (1/1) |"
    )


def test_render_quality_states_each_corpus_with_its_date_and_extractor_and_unchecked_kinds_honestly():
    corpus = CorpusQuality(
        corpus="Invented wire (3 articles)",
        date=date(2026, 1, 2),
        factpack_version="9.9.9",
        extractor="factpack-rules/9.9.9+0000abcd",
        note="Small.",
        table=_quality_table(),
        quotations="quotes P=1.0 R=0.5 F1=0.667 speaker_acc=1.0 indirect_R=0.0",
    )
    check = HandCheck(cue_kind=CueKind.BELIEF, checked=40, right=37, corpus="BBC", date=date(2026, 2, 3))
    text = render_quality(QualityRecord(corpora=[corpus], hand_checks=[check]))
    assert text.startswith(
        "### Invented wire (3 articles)\n\nMeasured 2026-01-02 with factpack 9.9.9, extractor "
        "`factpack-rules/9.9.9+0000abcd`. Small.\n\n" + render_quality_table(_quality_table())
    )
    assert "`quotes P=1.0 R=0.5 F1=0.667 speaker_acc=1.0 indirect_R=0.0`" in text
    assert text.endswith(
        "| `speech` | not yet checked |  |  |  |  |\n"
        "| `belief` | BBC | 40 | 37 | 0.925 | 2026-02-03 |\n"
        "| `intention` | not yet checked |  |  |  |  |"
    )
    empty = render_quality(QualityRecord())
    assert empty.startswith("No measurement is recorded yet.") and empty.count("not yet checked") == 3


def test_a_hand_check_cannot_have_more_right_than_checked():
    with pytest.raises(ValidationError, match="exceeds checked"):
        HandCheck(cue_kind=CueKind.SPEECH, checked=3, right=4, corpus="BBC", date=date(2026, 1, 1))


def test_the_card_states_the_committed_quality_figures(seed_dist):
    card = (seed_dist / "README.md").read_text(encoding="utf-8")
    record = load_quality()
    assert "## Extractor quality" in card and "`factpack eval GOLD DIST`" in card
    assert render_quality(record) in card
    assert render_card(facts()) != render_card(facts(quality=record))


def test_the_committed_quality_record_covers_the_standard_corpora_with_every_row():
    record = load_quality()
    names = [corpus.corpus for corpus in record.corpora]
    assert any(name.startswith("PolNeAR dev") for name in names)
    assert any("seeds.jsonl" in name for name in names) and any("wire.jsonl" in name for name in names)
    for corpus in record.corpora:
        assert [row.claim_type for row in corpus.table.rows] == [*(t.value for t in ClaimType), "all"]
        assert [row.cue_kind for row in corpus.table.cue_kinds] == list(CueKind)
