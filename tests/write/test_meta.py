from __future__ import annotations

import json

import pytest

from builder.config import PublishConfig
from builder.errors import InputError
from builder.models import Creator, DatasetMeta
from builder.write.meta import bibtex_key, citation, read_dataset_meta


def test_absent_file_gives_the_defaults(tmp_path):
    assert read_dataset_meta(tmp_path, PublishConfig()) == DatasetMeta()


def test_file_is_read(tmp_path):
    (tmp_path / "dataset.json").write_text(json.dumps({"pretty_name": "Wire claims", "license": "cc-by-4.0"}))
    meta = read_dataset_meta(tmp_path, PublishConfig())
    assert (meta.pretty_name, meta.license, meta.version) == ("Wire claims", "cc-by-4.0", "1.0.0")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "dataset.json: not valid JSON"),
        ("[]", "dataset.json: expected a JSON object"),
        ('{"licence": "mit"}', "dataset.json: licence: Extra inputs are not permitted"),
        ('{"license": "CC BY"}', "dataset.json: license: String should match pattern"),
        ('{"creators": [{"name": ""}]}', "dataset.json: creators.0.name: String should have at least 1 character"),
        ('{"homepage": "example.org"}', "dataset.json: homepage: Value error, expected an absolute http"),
        ('{"version": "1.0"}', "dataset.json: version: String should match pattern"),
    ],
)
def test_bad_file_names_the_field(tmp_path, content, message):
    (tmp_path / "dataset.json").write_text(content)
    with pytest.raises(InputError) as caught:
        read_dataset_meta(tmp_path, PublishConfig())
    assert message in str(caught.value)
    assert str(tmp_path) in str(caught.value)


def test_generated_citation_has_creators_year_and_version():
    meta = DatasetMeta(
        pretty_name="Wire claims: 2020",
        creators=[Creator(name="Ana Lima", kind="person"), Creator(name="Desk Ltd")],
        homepage="https://example.org/wire",
        version="2.1.0",
    )
    assert citation(meta, 2020) == (
        "@misc{wire_claims_2020_2020,\n"
        "  title = {{Wire claims: 2020}},\n"
        "  author = {Ana Lima and {Desk Ltd}},\n"
        "  year = {2020},\n"
        "  version = {2.1.0},\n"
        "  howpublished = {\\url{https://example.org/wire}},\n"
        "  note = {Claims extracted with factpack}\n"
        "}"
    )


def test_citation_without_a_dated_article_has_no_year():
    assert "year" not in citation(DatasetMeta(), None)
    assert bibtex_key(DatasetMeta(), None) == "factpack_claims"


def test_curated_citation_is_kept_verbatim():
    assert citation(DatasetMeta(citation="  @article{x, title={X}}\n"), 2020) == "@article{x, title={X}}"


def test_an_unexplained_other_license_is_named_as_the_publishers_terms():
    assert DatasetMeta().license_name == "Article texts: each publisher's own terms"
    assert DatasetMeta(license="other", license_name="Agency terms").license_name == "Agency terms"
    assert DatasetMeta(license="cc-by-4.0").license_name is None


SECRET_URL = "https://jdoe:s3cretpass@example.org/data?token=abc123&id=7"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ({"homepage": SECRET_URL}, "homepage"),
        ({"license": "other", "license_name": "ours", "license_link": SECRET_URL}, "license_link"),
        ({"creators": [{"name": "Desk"}, {"name": "Lab", "url": SECRET_URL}]}, "creators.1.url"),
        ({"description": f"Mirrored at {SECRET_URL} daily."}, "description"),
    ],
)
def test_a_credential_in_the_datasets_own_metadata_is_refused_naming_the_field_not_the_value(tmp_path, content, field):
    """Published as written (card, Croissant, citation): refused at once, where the build found it only when its
    own verify read the card back, naming README.md's line."""
    (tmp_path / "dataset.json").write_text(json.dumps(content))
    with pytest.raises(InputError) as caught:
        read_dataset_meta(tmp_path, PublishConfig())
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'dataset.json'}: {field}: character ")
    assert "a login (user:password@) and the parameter 'token'; take the credential out" in message
    assert "s3cretpass" not in message and "abc123" not in message


def test_a_refused_metadata_value_is_quoted_masked(tmp_path):
    (tmp_path / "dataset.json").write_text(json.dumps({"homepage": "ftp://jdoe:s3cretpass@example.org/?token=abc123"}))
    with pytest.raises(InputError) as caught:
        read_dataset_meta(tmp_path, PublishConfig())
    assert "homepage" in str(caught.value) and "s3cretpass" not in str(caught.value)
    assert "abc123" not in str(caught.value)
