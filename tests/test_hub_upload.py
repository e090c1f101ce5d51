"""``factpack publish``: the file plan offline, and the real ``huggingface_hub`` against a local stand-in Hub."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner
from verify.corrupt import ARTICLES_TRAIN, seal, set_cell

from builder.cli import app
from builder.errors import ConfigError, DistError, PublishError, VerificationError
from builder.hub_upload import plan_publish, publish_to_hub
from fake_hub import FakeHub, pointing, serving


@pytest.fixture
def dist(seed_dist: Path, tmp_path: Path) -> Path:
    """A writable copy of the seed dataset."""
    return Path(shutil.copytree(seed_dist, tmp_path / "dist"))


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A stand-in Hub on 127.0.0.1, the default endpoint while the test runs; HF_TOKEN is hf_test_token."""
    with serving(monkeypatch) as server:
        yield server


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_dry_run_lists_every_file_with_size_and_hash(seed_dist):
    result = publish_to_hub(seed_dist, "org/claims", dry_run=True)
    on_disk = files_of(seed_dist)
    assert [f.path for f in result.plan.files] == sorted(on_disk)
    for planned in result.plan.files:
        assert planned.bytes == len(on_disk[planned.path])
        assert planned.sha256 == hashlib.sha256(on_disk[planned.path]).hexdigest()
        assert planned.change == "upload"  # no baseline: not known
    assert result.commit_url is None and result.dry_run
    assert "--against" in result.plan.baseline


def test_dry_run_against_the_published_manifest_says_what_changes(dist, tmp_path):
    published = tmp_path / "published-manifest.json"
    manifest = json.loads((dist / "manifest.json").read_text())
    claims = next(e for e in manifest["outputs"] if e["path"].startswith("claims/train"))
    claims["sha256"] = "1" * 64  # the published claims shard differed
    manifest["outputs"].append({"path": "claims/train-00001-of-00002.parquet", "bytes": 7, "sha256": "2" * 64})
    manifest["outputs"] = [e for e in manifest["outputs"] if e["path"] != "rejects.jsonl"]  # and had no rejects file
    published.write_text(json.dumps(manifest))
    changes = {f.path: f.change for f in publish_to_hub(dist, "org/claims", dry_run=True, against=published).plan.files}
    assert changes[claims["path"]] == "changed"
    assert changes["claims/train-00001-of-00002.parquet"] == "deleted"
    assert changes["rejects.jsonl"] == "new"
    assert changes["manifest.json"] == "changed"
    assert changes["articles/train-00000-of-00001.parquet"] == "unchanged"
    assert set(changes.values()) == {"changed", "deleted", "new", "unchanged"}


def test_against_itself_nothing_changes(seed_dist):
    plan = publish_to_hub(seed_dist, "org/claims", dry_run=True, against=seed_dist / "manifest.json").plan
    assert {f.change for f in plan.files} == {"unchanged"}
    assert plan.upload_bytes == 0


def test_a_file_changed_after_the_build_stops_the_plan(dist):
    (dist / "rejects.jsonl").write_text('{"file": "x"}\n')
    with pytest.raises(VerificationError, match=r"does not verify.*size-mismatch rejects\.jsonl field bytes"):
        plan_publish(dist, "org/claims")


def test_an_unlisted_file_stops_the_plan(dist):
    (dist / "claims" / "notes.txt").write_text("draft")
    with pytest.raises(VerificationError, match=r"file-unlisted claims/notes\.txt"):
        plan_publish(dist, "org/claims")


def test_a_missing_file_stops_the_plan(dist):
    (dist / "rejects.jsonl").unlink()
    with pytest.raises(VerificationError, match=r"file-missing rejects\.jsonl"):
        plan_publish(dist, "org/claims")


def test_a_folder_without_manifest_is_not_a_dataset(tmp_path):
    with pytest.raises(DistError, match="not a dataset folder"):
        plan_publish(tmp_path, "org/claims")


@pytest.mark.parametrize("repo_id", ["claims", "a/b/c", "/claims", "org/"])
def test_repo_id_must_be_owner_and_name(seed_dist, repo_id):
    with pytest.raises(ConfigError, match="owner/name"):
        publish_to_hub(seed_dist, repo_id, dry_run=True)


def test_upload_without_token_is_refused_before_any_request(seed_dist, hub, monkeypatch):
    monkeypatch.delenv("HF_TOKEN")  # and the suite's HF_HOME is a fresh folder: no saved login either
    with pytest.raises(ConfigError, match="HF_TOKEN"):
        publish_to_hub(seed_dist, "org/claims", endpoint=hub.endpoint)
    assert hub.requests == []


def test_upload_is_one_commit_of_every_file(seed_dist, hub):
    result = publish_to_hub(seed_dist, "org/claims", private=True, endpoint=hub.endpoint)
    assert hub.tree("org/claims") == files_of(seed_dist)
    assert hub.repos["datasets/org/claims"]["private"] is True
    assert len(hub.commits) == 1 and hub.commits[0]["summary"].startswith("factpack ")
    assert "91 claims from 5 articles" in hub.commits[0]["summary"]
    assert result.commit_url is not None and result.commit_url.startswith(hub.endpoint)
    assert {f.change for f in result.plan.files} == {"new"}
    assert {h.get("authorization") or h.get("Authorization") for _, _, h in hub.requests} == {"Bearer hf_test_token"}
    assert hub.unknown == []


def test_republish_uploads_only_what_changed_and_deletes_stale_files(dist, hub):
    publish_to_hub(dist, "org/claims", endpoint=hub.endpoint)
    repo = hub.repos["datasets/org/claims"]["branches"]["main"]
    repo["claims/train-00001-of-00002.parquet"] = b"a shard of an older build"
    result = publish_to_hub(dist, "org/claims", endpoint=hub.endpoint)
    changes = {f.path: f.change for f in result.plan.files}
    assert changes["claims/train-00001-of-00002.parquet"] == "deleted"
    assert changes["manifest.json"] == "unchanged"
    assert hub.commits[-1]["lines"] == ["deletedFile"]
    assert hub.tree("org/claims") == files_of(dist)


def test_republishing_the_same_folder_commits_nothing(seed_dist, hub):
    publish_to_hub(seed_dist, "org/claims", endpoint=hub.endpoint)
    result = publish_to_hub(seed_dist, "org/claims", endpoint=hub.endpoint)
    assert len(hub.commits) == 1 and result.commit_url is None
    assert {f.change for f in result.plan.files} == {"unchanged"}


def test_revision_goes_to_its_own_branch(seed_dist, hub):
    publish_to_hub(seed_dist, "org/claims", endpoint=hub.endpoint)
    publish_to_hub(seed_dist, "org/claims", revision="v1", endpoint=hub.endpoint)
    assert set(hub.repos["datasets/org/claims"]["branches"]) == {"main", "v1"}
    assert hub.tree("org/claims", "v1") == files_of(seed_dist)


def test_hub_refusal_is_one_publish_error_and_no_commit(seed_dist, hub):
    hub.yaml_errors.append('"license" must be a known license id')
    with pytest.raises(PublishError, match=r"upload failed .*no files were committed"):
        publish_to_hub(seed_dist, "org/claims", endpoint=hub.endpoint)
    assert hub.commits == []


def test_a_file_the_repository_lost_is_uploaded_again(seed_dist, hub):
    publish_to_hub(seed_dist, "org/claims", endpoint=hub.endpoint)
    del hub.repos["datasets/org/claims"]["branches"]["main"]["speakers/train-00000-of-00001.parquet"]
    result = publish_to_hub(seed_dist, "org/claims", endpoint=hub.endpoint)
    changes = {f.path: f.change for f in result.plan.files}
    assert changes["speakers/train-00000-of-00001.parquet"] == "new"
    assert hub.tree("org/claims") == files_of(seed_dist)


def test_an_unreachable_hub_is_one_publish_error(seed_dist, monkeypatch):
    import huggingface_hub.constants
    import huggingface_hub.utils._http as hub_http

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    waits: list[float] = []
    # The client retries a refused connection with back-off (about 23 s of sleeping): for this test, time.sleep
    # records the waits instead of sleeping.
    monkeypatch.setattr(hub_http.time, "sleep", waits.append)
    with pytest.raises(PublishError, match=r"upload failed .*check the network"):
        publish_to_hub(seed_dist, "org/claims", endpoint="http://127.0.0.1:9")  # a closed port
    assert waits  # the real retrying path ran


# ---------------------------------------------------------------------------------------------------------------
# The command, from the user's side: what the README's "Publish to the Hub" and the publish row promise.

runner = CliRunner()
REPO_ID = "org/claims"


def publish(dist: Path, *args: str) -> Result:
    return runner.invoke(app, ["publish", REPO_ID, "--dist", str(dist), *args])


def plan_of(result: Result) -> dict[str, str]:
    """path → change, from the plan ``--json`` prints."""
    return {entry["path"]: entry["change"] for entry in json.loads(result.stdout)["files"]}


def test_cli_private_makes_an_existing_public_repository_private(seed_dist, hub):
    hub.add_repo(REPO_ID, private=False)
    result = publish(seed_dist, "--private")
    assert result.exit_code == 0, result.output
    assert hub.private(REPO_ID) is True
    assert hub.visibility == [(REPO_ID, True)]
    assert hub.tree(REPO_ID) == files_of(seed_dist)


def test_cli_without_private_an_existing_private_repository_stays_private(seed_dist, hub):
    hub.add_repo(REPO_ID, private=True)
    assert publish(seed_dist).exit_code == 0
    assert hub.private(REPO_ID) is True
    assert hub.visibility == []  # its settings are not touched
    assert hub.tree(REPO_ID) == files_of(seed_dist)


@pytest.mark.parametrize(("args", "private"), [((), False), (("--private",), True)])
def test_cli_a_new_repository_is_created_public_or_private(seed_dist, hub, args, private):
    assert publish(seed_dist, *args).exit_code == 0
    assert hub.private(REPO_ID) is private


def test_cli_republishing_an_unchanged_folder_commits_nothing(seed_dist, hub):
    first = publish(seed_dist)
    assert first.stdout.splitlines()[-1].startswith(f"published {REPO_ID}@main (12 new): {hub.endpoint}/")
    again = publish(seed_dist)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == f"{REPO_ID}@main already holds this folder; nothing committed"
    assert all(line.startswith("unchanged ") for line in again.stdout.splitlines()[:-2])
    assert len(hub.commits) == 1


def test_cli_the_plan_lists_a_stale_file_as_deleted_and_the_commit_deletes_it(seed_dist, hub):
    assert publish(seed_dist).exit_code == 0
    stale = "claims/train-00001-of-00002.parquet"
    hub.repos[f"datasets/{REPO_ID}"]["branches"]["main"][stale] = b"a shard of an older build"
    result = publish(seed_dist, "--json")
    assert result.exit_code == 0, result.output
    changes = plan_of(result)
    assert changes.pop(stale) == "deleted"
    assert set(changes.values()) == {"unchanged"}
    assert (hub.commits[-1]["added"], hub.commits[-1]["deleted"]) == ([], [stale])
    assert hub.tree(REPO_ID) == files_of(seed_dist)


def test_cli_a_missing_revision_is_created_from_main_and_holds_exactly_the_folder(seed_dist, hub):
    old = {"claims/train-00001-of-00002.parquet": b"an older shard", "NOTES.md": b"added on the Hub"}
    assert publish(seed_dist).exit_code == 0
    hub.repos[f"datasets/{REPO_ID}"]["branches"]["main"].update(old)
    main_before = hub.tree(REPO_ID)
    result = publish(seed_dist, "--revision", "v1", "--json")
    assert result.exit_code == 0, result.output
    assert hub.branches_created == [(REPO_ID, "v1", "main")]
    assert json.loads(result.stdout)["baseline"].startswith(f"{REPO_ID}@main (the branch v1 does not exist yet")
    changed = {path: change for path, change in plan_of(result).items() if change != "unchanged"}
    assert changed == dict.fromkeys(old, "deleted")
    assert hub.tree(REPO_ID, "v1") == files_of(seed_dist)  # from main, less what the folder does not hold
    assert hub.tree(REPO_ID) == main_before
    assert hub.commits[-1]["revision"] == "v1"


def test_cli_an_existing_revision_is_committed_to_not_created_again(seed_dist, hub):
    assert publish(seed_dist, "--revision", "v1").exit_code == 0
    assert hub.branches_created == [(REPO_ID, "v1", "main")]
    again = publish(seed_dist, "--revision", "v1")
    assert again.exit_code == 0, again.output
    assert hub.branches_created == [(REPO_ID, "v1", "main")]
    assert again.stdout.splitlines()[-1] == f"{REPO_ID}@v1 already holds this folder; nothing committed"


def test_cli_dry_run_against_a_manifest_says_what_changes_offline(dist, tmp_path, hub):
    published = tmp_path / "published-manifest.json"
    manifest = json.loads((dist / "manifest.json").read_text())
    shard = next(e for e in manifest["outputs"] if e["path"].startswith("claims/train"))
    shard["sha256"] = "1" * 64
    manifest["outputs"].append({"path": "claims/train-00001-of-00002.parquet", "bytes": 7, "sha256": "2" * 64})
    manifest["outputs"] = [e for e in manifest["outputs"] if e["path"] != "rejects.jsonl"]
    published.write_text(json.dumps(manifest))
    result = publish(dist, "--dry-run", "--against", str(published))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    on_disk = files_of(dist)
    rows = {line.split()[-1]: line.split() for line in lines[:-2]}
    assert rows[shard["path"]][0] == "changed"
    assert rows["claims/train-00001-of-00002.parquet"][:3] == ["deleted", "7", "2" * 64]
    assert rows["rejects.jsonl"][:3] == ["new", f"{len(on_disk['rejects.jsonl']):,}", sha256(on_disk["rejects.jsonl"])]
    assert {rows[path][0] for path in on_disk} == {"changed", "new", "unchanged"}
    sent = sum(len(on_disk[p]) for p in (shard["path"], "rejects.jsonl", "manifest.json"))
    assert lines[-2:] == [
        f"compared with: {published}",
        f"dry run: {REPO_ID}@main would get 1 new, 2 changed, 9 unchanged, 1 deleted ({sent:,} bytes to send)",
    ]
    assert hub.requests == []  # offline


def test_cli_dry_run_without_a_manifest_marks_every_file_upload(seed_dist, hub):
    result = publish(seed_dist, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert (plan["dry_run"], plan["commit_url"], plan["private"]) == (True, None, False)
    assert {entry["path"]: (entry["bytes"], entry["sha256"], entry["change"]) for entry in plan["files"]} == {
        path: (len(data), sha256(data), "upload") for path, data in files_of(seed_dist).items()
    }
    assert hub.requests == []


@pytest.mark.parametrize(
    "refusal",
    [
        pytest.param(lambda hub: setattr(hub, "refuse", 401), id="401"),
        pytest.param(lambda hub: setattr(hub, "refuse", 403), id="403"),
        pytest.param(lambda hub: setattr(hub, "refuse", 500), id="500"),
        pytest.param(lambda hub: hub.yaml_errors.append('"license" must be a known license id'), id="card-yaml"),
    ],
)
def test_cli_a_failed_upload_exits_1_with_one_line_and_commits_nothing(seed_dist, hub, refusal, monkeypatch, caplog):
    import huggingface_hub.utils._http as hub_http

    monkeypatch.setattr(hub_http.time, "sleep", lambda _seconds: None)  # the client retries a 500 with back-off
    refusal(hub)
    result = publish(seed_dist, "--dry-run")
    assert result.exit_code == 0  # the dry run is offline: the Hub is not asked
    result = publish(seed_dist)
    assert result.exit_code == 1
    assert result.stdout == ""
    # The client's own notices (each retry of a 500) would be more lines on a real stderr: there are none.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("huggingface_hub")] == []
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {REPO_ID}: upload failed (")
    assert line.endswith("; no files were committed (the repository may have been created or its visibility set); "
                         "check the network and the token, then publish again")  # fmt: skip
    assert hub.commits == []


def test_cli_an_unreachable_hub_exits_1_with_one_line(seed_dist, hub, monkeypatch, caplog):
    import huggingface_hub.utils._http as hub_http

    pointing(monkeypatch, "http://127.0.0.1:9")  # a closed port
    monkeypatch.setattr(hub_http.time, "sleep", lambda _seconds: None)  # the client's back-off, not waited for
    result = publish(seed_dist)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {REPO_ID}: upload failed (") and "check the network" in line
    assert [r.getMessage() for r in caplog.records if r.name.startswith("huggingface_hub")] == []


@pytest.mark.parametrize("args", [("--dry-run",), ()], ids=["dry-run", "upload"])
def test_cli_a_folder_with_a_credential_url_is_refused_and_nothing_is_sent(dist, hub, args):
    secret = "https://jdoe:s3cretpass@www.example.com/news/a?token=abc123&id=7"
    set_cell(dist, ARTICLES_TRAIN, "url", 1, secret)
    seal(dist, ARTICLES_TRAIN)  # the manifest agrees: only the credential is wrong
    result = publish(dist, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"url-credential {ARTICLES_TRAIN} row 1 field url: character 0: a URL holds a login (user:password@) and "
        "the parameter 'token'; take it out of the raw input and build again (factpack strips it from URLs and "
        "rejects such texts)",
        f"error: {dist}: does not verify, so it is not published: url-credential {ARTICLES_TRAIN} row 1 field url: "
        "character 0: a URL holds a login (user:password@) and the parameter 'token'; take it out of the raw input "
        f"and build again (factpack strips it from URLs and rejects such texts); run 'factpack verify {dist}' for "
        "every problem",
    ]
    assert hub.requests == [] and hub.repos == {}


@pytest.mark.parametrize("args", [("--dry-run",), ()], ids=["dry-run", "upload"])
def test_cli_a_folder_changed_after_the_build_is_refused_and_nothing_is_sent(dist, hub, args):
    (dist / "rejects.jsonl").write_text('{"file": "x"}\n')
    result = publish(dist, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"error: {dist}: does not verify, so it is not published")
    assert hub.requests == []


def test_cli_without_a_token_exits_2_before_any_request(seed_dist, hub, monkeypatch):
    monkeypatch.delenv("HF_TOKEN")
    result = publish(seed_dist)
    assert result.exit_code == 2
    assert result.stderr == "error: no Hugging Face token: set HF_TOKEN or run 'hf auth login', or use --dry-run\n"
    assert hub.requests == []


@pytest.mark.parametrize("repo_id", ["claims", "a/b/c"])
def test_cli_a_bad_repository_id_exits_2(seed_dist, hub, repo_id):
    result = runner.invoke(app, ["publish", repo_id, "--dist", str(seed_dist), "--dry-run"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {repo_id!r}: a repository id is 'owner/name', e.g. 'my-org/factpack-claims'\n"


def test_cli_the_token_of_a_saved_login_is_used(seed_dist, hub, monkeypatch, tmp_path):
    import huggingface_hub.constants

    monkeypatch.delenv("HF_TOKEN")
    saved = tmp_path / "token"
    saved.write_text("hf_savedLoginToken123\n")
    monkeypatch.setattr(huggingface_hub.constants, "HF_TOKEN_PATH", str(saved))  # where 'hf auth login' writes
    assert publish(seed_dist).exit_code == 0
    assert {h.get("authorization") or h.get("Authorization") for _, _, h in hub.requests} == {
        "Bearer hf_savedLoginToken123"
    }
