from __future__ import annotations

import yaml
from datasets import Features

from builder.features import features_of
from builder.models import Claim, Creator, DatasetMeta, Rejection, Stage
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
    render_rejections,
    render_table,
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
    from builder.write.card import render_worthiness

    assert render_worthiness(None) == "In this dataset `check_worthiness` is that rule score."
    model = WorthinessModel(
        bias=-1.0,
        terms={"number": 0.5},
        slots={7: 0.25},
        buckets=16,
        sizes=(1,),
        training={"source": "labels.jsonl", "sha256": "0" * 64, "examples": 80, "positives": 20},
        quality={"folds": 5, "cv_ap": 0.61, "cv_map": 0.58, "rules_ap": 0.4, "rules_map": 0.38},
    )
    text = render_worthiness(model)
    assert f"SHA-256 `{model.sha256}`" in text and "80 labelled texts, 20 check-worthy" in text
    assert "average precision 0.610 (the rules: 0.400), MAP 0.580 over held-out documents (the rules: 0.380)" in text
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
