"""Nothing secret is ever published: credentials in article URLs are taken out at ingest whatever the input
format, a text holding one is rejected without quoting it, and a Hub token in the environment reaches no output.

One raw folder carries a credential in each input format (a sidecar, a JSONL line, a Parquet row) and one in a
text; it is built once through the command line, with a cache and a Hub token in the environment, and the tests
read what that build left: the dataset, the cache, the report, the console.
"""

from __future__ import annotations

import json
import shutil
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.errors import PublishError
from builder.hub_upload import publish_to_hub
from conftest import RAW, files_of, rows_of
from fake_hub import FakeHub, pointing, serving

runner = CliRunner()

TOKEN = "hf_SecretsSentinel0123456789abcdefXYZ"
SIDECAR_URL = "https://jdoe:s3cretpass@www.example.com/news/a?token=abc123&id=7"
JSONL_URL = "https://www.example.org/b?X-Amz-Signature=SIGSECRET0&a=1&X-Amz-Credential=CREDSECRET0"
PARQUET_URL = "https://pquser:PQSECRET0@www.example.net/c;jsessionid=JSESSECRET0?SID=SIDSECRET0&p=1#top"
TEXT_URL = "https://admin:hunter2secret@intranet.example.com/r?x=1"
SECRETS = (b"jdoe", b"s3cretpass", b"abc123", b"SIGSECRET0", b"CREDSECRET0", b"pquser", b"PQSECRET0",
           b"JSESSECRET0", b"SIDSECRET0", b"hunter2secret", TOKEN.encode())  # fmt: skip
BAD_TEXT = "Memo leaked\n\nThe report, he said, sits at " + TEXT_URL + " for all staff to read.\n"


def secrets_in(data: bytes) -> list[bytes]:
    return [secret for secret in SECRETS if secret in data]


def credential_raw(target: Path) -> Path:
    """The seed articles, one in each input format with a credential in its URL, and one text holding one."""
    raw = Path(shutil.copytree(RAW, target))
    articles = raw / "articles"
    first = articles / "000_441cd17370331efe.json"
    first.write_text(json.dumps({**json.loads(first.read_text()), "url": SIDECAR_URL}), encoding="utf-8")
    second = articles / "001_b60338ed7311516e"
    line = {"text": second.with_suffix(".txt").read_text(encoding="utf-8"), "url": JSONL_URL}
    (articles / "feed.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    third = articles / "002_981f1cff39f36317"
    row = {"text": [third.with_suffix(".txt").read_text(encoding="utf-8")], "url": [PARQUET_URL]}
    pq.write_table(pa.table(row), articles / "rows.parquet")
    for moved in (second, third):
        moved.with_suffix(".txt").unlink()
        moved.with_suffix(".json").unlink()
    (articles / "memo.txt").write_text(BAD_TEXT, encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The credential raw folder built twice through the CLI with HF_TOKEN set: the second time from the cache,
    with --json."""
    folder = tmp_path_factory.mktemp("secrets")
    raw, out, cache = credential_raw(folder / "raw"), folder / "dist", folder / "cache"
    args = ["build", str(raw), "--out", str(out), "--skip-invalid", "--cache-dir", str(cache)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_TOKEN", TOKEN)
        first = runner.invoke(app, args)
        again = runner.invoke(app, [*args, "--json"])
    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    return {"raw": raw, "out": out, "cache": cache, "first": first, "again": again}


def test_credentials_are_taken_out_of_the_url_of_every_input_format(built):
    urls = {row["source_file"]: row["url"] for row in rows_of(built["out"], "articles")}
    assert urls["articles/000_441cd17370331efe.txt"] == "https://www.example.com/news/a?id=7"
    assert urls["articles/feed.jsonl"] == "https://www.example.org/b?a=1"
    assert urls["articles/rows.parquet"] == "https://www.example.net/c?p=1#top"
    claims = rows_of(built["out"], "claims")
    by_article = {row["article_id"]: row["url"] for row in rows_of(built["out"], "articles")}
    assert claims and all(claim["url"] == by_article[claim["article_id"]] for claim in claims)


def test_no_credential_reaches_the_dataset_the_cache_or_the_console(built):
    written = {**files_of(built["out"]), **{f"cache/{k}": v for k, v in files_of(built["cache"]).items()}}
    assert any(name.startswith("cache/") for name in written)  # the cache was written, and is clean
    assert {name: secrets_in(data) for name, data in written.items() if secrets_in(data)} == {}
    for result in (built["first"], built["again"]):
        assert secrets_in((result.stdout + result.stderr).encode()) == []


def test_the_report_counts_what_was_taken_by_kind_never_a_value(built):
    report = json.loads(built["again"].stdout)
    assert report["from_cache"] == 5  # every article: counted from the cache as from a fresh read
    assert report["credentials"] == {
        "urls": 3,
        "logins": 2,
        "parameters": {"jsessionid": 1, "sid": 1, "token": 1, "x-amz-credential": 1, "x-amz-signature": 1},
    }
    assert (
        "  credentials taken out of 3 article URL(s): 2 login(s), jsessionid (1), sid (1), token (1), "
        "x-amz-credential (1), x-amz-signature (1)\n"
    ) in built["first"].stdout


def test_the_card_states_the_rule_and_the_counts(built):
    card = (built["out"] / "README.md").read_text(encoding="utf-8")
    assert "Every article URL loses its login (`user:password@`) and its query, fragment and path parameters" in card
    assert (
        "In this build 3 article URLs lost credentials: 2 logins, `jsessionid` in 1, `sid` in 1, `token` in 1, "
        "`x-amz-credential` in 1, `x-amz-signature` in 1."
    ) in card


def test_a_text_holding_a_credential_url_is_rejected_naming_the_character_not_the_url(built):
    reason = (
        f"character {BAD_TEXT.index('https://')}: a URL here holds a login (user:password@); the text is published "
        "byte for byte, never edited, so remove the credential from the raw file"
    )
    rejects = [json.loads(line) for line in (built["out"] / "rejects.jsonl").read_text().splitlines()]
    assert rejects == [
        {"file": "articles/memo.txt", "line": None, "loc": "text", "reason": reason, "stage": "validate",
         "article": "articles/memo.txt", "kept": False}
    ]  # fmt: skip
    assert built["first"].stderr == f"skipped: articles/memo.txt: text: {reason}\n"
    assert f"| articles/memo.txt |  | text | {reason} |" in (built["out"] / "README.md").read_text()


def test_the_built_dataset_verifies_and_says_nothing_of_the_token(built, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    for args in (["verify", str(built["out"]), "--raw", str(built["raw"])], ["verify", str(built["out"]), "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert secrets_in((result.stdout + result.stderr).encode()) == []


def test_validate_fails_on_a_text_holding_a_credential_and_never_prints_it(tmp_path):
    raw = credential_raw(tmp_path / "raw")
    result = runner.invoke(app, ["validate", str(raw)])
    assert result.exit_code == 1
    at = BAD_TEXT.index("https://")
    assert result.stderr.startswith(f"articles/memo.txt: text: character {at}: a URL here holds a login")
    assert result.stdout == "6 read: 5 valid, 1 invalid (1 problems)\n"
    assert secrets_in((result.stdout + result.stderr).encode()) == []


@pytest.mark.parametrize("value", ["https://jdoe:pw@example.com/a", "https://example.com/a?token=abc123"])
def test_a_refused_value_holding_a_credential_is_published_masked_and_the_build_verifies(tmp_path, value):
    """The rejection's reason quotes the bad value masked (``https://***@…``, ``token=***``); the build's own
    verify read that back as a credential and failed the build."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (first,) = sorted((raw / "articles").glob("000_*.json"))
    first.write_text(json.dumps({**json.loads(first.read_text()), "published": value}), encoding="utf-8")
    out = tmp_path / "dist"
    result = runner.invoke(app, ["build", str(raw), "--out", str(out), "--skip-invalid", "--no-cache"])
    assert result.exit_code == 0, result.output
    rejections = [json.loads(line) for line in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {rejection["loc"] for rejection in rejections} == {"published"}
    assert any("***" in rejection["reason"] for rejection in rejections)  # the value quoted, masked
    published = b"".join(path.read_bytes() for path in out.rglob("*") if path.is_file())
    assert b"jdoe:pw" not in published and b"abc123" not in published
    verified = runner.invoke(app, ["verify", str(out)])
    assert verified.exit_code == 0, verified.output


# ---------------------------------------------------------------------------------------------------------------
# The Hub token: in no output, log, report, file or exception message of `factpack publish`, whatever happens.


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    with serving(monkeypatch, TOKEN) as server:
        yield server


def _refuse(status: int) -> Callable[[FakeHub, pytest.MonkeyPatch], None]:
    def arrange(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
        hub.refuse = status  # and the answer echoes the request's "Authorization: Bearer <token>" back

    return arrange


def _unreachable(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    pointing(monkeypatch, "http://127.0.0.1:9")  # a closed port


@pytest.mark.parametrize("as_json", [(), ("--json",)], ids=["text", "json"])
@pytest.mark.parametrize(
    ("args", "arrange", "code"),
    [
        pytest.param(("--dry-run",), None, 0, id="dry-run"),
        pytest.param((), None, 0, id="upload"),
        pytest.param(("--private", "--revision", "v1"), None, 0, id="private-branch"),
        pytest.param((), _refuse(401), 1, id="401"),
        pytest.param((), _refuse(403), 1, id="403"),
        pytest.param((), _refuse(500), 1, id="500"),
        pytest.param((), _unreachable, 1, id="connection-refused"),
    ],
)
def test_the_hub_token_is_never_printed_by_publish(seed_dist, hub, monkeypatch, caplog, args, arrange, code, as_json):
    import huggingface_hub.utils._http as hub_http

    monkeypatch.setattr(hub_http.time, "sleep", lambda _seconds: None)  # the client's back-off, not waited for
    if arrange is not None:
        arrange(hub, monkeypatch)
    before = files_of(seed_dist)
    result = runner.invoke(app, ["publish", "org/claims", "--dist", str(seed_dist), *args, *as_json])
    assert result.exit_code == code, result.output
    shown = result.stdout + result.stderr + caplog.text + repr(result.exception)
    assert TOKEN not in shown
    assert files_of(seed_dist) == before
    if code == 1:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: org/claims: upload failed (")
    if "403" in result.stderr:  # the client puts the Hub's message on the first line: it quoted the token
        assert "for Bearer hf_***" in result.stderr
    if "--dry-run" not in args and arrange is None:
        assert any(TOKEN in str(headers) for _, _, headers in hub.requests)  # the token was in play


@pytest.mark.parametrize("status", [401, 403, 500])
def test_a_publish_error_carries_no_token_in_its_message_or_its_chain(seed_dist, hub, monkeypatch, status):
    import huggingface_hub.utils._http as hub_http

    monkeypatch.setattr(hub_http.time, "sleep", lambda _seconds: None)
    hub.refuse = status
    with pytest.raises(PublishError) as caught:
        publish_to_hub(seed_dist, "org/claims")
    assert f"refused ({status}) for Bearer {TOKEN}" in str(caught.value.__context__)  # what the client raised
    assert TOKEN not in "".join(traceback.format_exception(caught.value))  # what a traceback of it shows
