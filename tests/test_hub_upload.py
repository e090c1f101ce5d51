"""``factpack publish``: the file plan offline, and the real ``huggingface_hub`` against a local stand-in Hub."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from builder.errors import ConfigError, DistError, PublishError, VerificationError
from builder.hub_upload import plan_publish, publish_to_hub
from fake_hub import FakeHub


@pytest.fixture
def dist(seed_dist: Path, tmp_path: Path) -> Path:
    """A writable copy of the seed dataset."""
    return Path(shutil.copytree(seed_dist, tmp_path / "dist"))


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch):
    """A stand-in Hub on 127.0.0.1; the suite runs with HF_HUB_OFFLINE=1, lifted here for that address only."""
    import huggingface_hub.constants

    server = FakeHub()
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_TOKEN", "hf_test_token")
    yield server
    server.close()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
