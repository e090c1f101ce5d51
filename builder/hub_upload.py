"""Publish a built dataset folder to a Hugging Face Hub dataset repository, as one commit.

The plan comes first and is the same for a dry run and a real one: the folder must pass ``factpack verify``
(a file changed, added or lost after the build stops the upload), then every file is listed with its size and
SHA-256 and what it changes against a baseline: the manifest of the published version, given with
``against`` or, for a real upload, read from the repository. Files the baseline has and the folder does not are
deleted in the same commit, so a shard count that shrank leaves no stale shard behind.

The upload is ``huggingface_hub``'s own ``create_commit``: one atomic commit, unlike ``upload_folder``, which
may split a large folder into several. The token comes from ``HF_TOKEN`` or the saved login, and is never
printed: what factpack says of a failed request is the first line of the client's message with any token (and
any credential in a URL) masked, since a server or proxy may echo the request's headers back.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from builder.dataset_folder import MANIFEST_NAME, open_dataset, read_manifest
from builder.errors import ConfigError, PublishError, VerificationError
from builder.models import BuildManifest, FileEntry
from builder.urls import mask
from builder.version import __version__

if TYPE_CHECKING:
    from huggingface_hub import HfApi

__all__ = ["Change", "PlannedFile", "PublishPlan", "PublishResult", "plan_as_json", "plan_publish", "publish_to_hub"]

Change = Literal["new", "changed", "unchanged", "deleted", "upload"]
"""What a file does to the published version; ``upload``: no baseline was given, so it is not known."""


@dataclass(frozen=True)
class PlannedFile:
    path: str
    bytes: int
    sha256: str
    change: Change


@dataclass(frozen=True)
class PublishPlan:
    """Every file of the folder (and every file to delete), sorted by path."""

    repo_id: str
    revision: str
    private: bool
    baseline: str  # where the comparison came from, for the reader
    files: list[PlannedFile]

    def count(self, change: Change) -> int:
        return sum(1 for planned in self.files if planned.change == change)

    @property
    def upload_bytes(self) -> int:
        return sum(planned.bytes for planned in self.files if planned.change in ("new", "changed", "upload"))


@dataclass(frozen=True)
class PublishResult:
    plan: PublishPlan
    dry_run: bool
    commit_url: str | None = None


def _local_files(dist: Path) -> dict[str, FileEntry]:
    """Every file of the folder with its size and hash, the manifest included. A folder that does not verify
    (a file changed, added or lost since the build among them) is refused before anything is listed or sent;
    one that does holds exactly what its manifest lists, so the entries are the manifest's (no second hashing)."""
    from builder.verify import verify_dataset

    manifest = open_dataset(dist).manifest()
    verified = verify_dataset(dist)
    if not verified.ok:
        raise VerificationError(
            verified,
            f"{dist}: does not verify, so it is not published",
            f"run 'factpack verify {dist}' for every problem",
        )
    return _baseline_files(manifest, (dist / MANIFEST_NAME).read_bytes())


def _baseline_files(manifest: BuildManifest, manifest_bytes: bytes) -> dict[str, FileEntry]:
    files = {entry.path: entry for entry in manifest.outputs}
    files[MANIFEST_NAME] = FileEntry(
        path=MANIFEST_NAME, bytes=len(manifest_bytes), sha256=hashlib.sha256(manifest_bytes).hexdigest()
    )
    return files


def plan_publish(
    dist: Path,
    repo_id: str,
    *,
    revision: str = "main",
    private: bool = False,
    baseline: Mapping[str, FileEntry] | None = None,
    baseline_name: str = "none",
) -> PublishPlan:
    """The files to upload and delete; ``baseline`` maps path → entry of the published version."""
    return _plan(_local_files(dist), repo_id, revision, private, baseline, baseline_name)


def _plan(
    local: Mapping[str, FileEntry],
    repo_id: str,
    revision: str,
    private: bool,
    baseline: Mapping[str, FileEntry] | None,
    baseline_name: str,
) -> PublishPlan:
    planned = []
    for name, entry in local.items():
        change: Change
        if baseline is None:
            change = "upload"
        elif name not in baseline:
            change = "new"
        else:
            change = "unchanged" if baseline[name].sha256 == entry.sha256 else "changed"
        planned.append(PlannedFile(name, entry.bytes, entry.sha256, change))
    for name, entry in (baseline or {}).items():
        if name not in local:
            planned.append(PlannedFile(name, entry.bytes, entry.sha256, "deleted"))
    planned.sort(key=lambda planned_file: planned_file.path)
    return PublishPlan(repo_id, revision, private, baseline_name, planned)


def _remote_baseline(api: HfApi, repo_id: str, revision: str) -> tuple[dict[str, FileEntry], str]:
    """The published manifest's files, plus every other file in the repository (to delete); none when the
    repository does not exist yet. A missing branch will be created from ``main``, so ``main`` is what it
    starts as: its files are the baseline (what the folder lacks is deleted from the new branch)."""
    from huggingface_hub.errors import EntryNotFoundError, RepositoryNotFoundError, RevisionNotFoundError

    try:
        remote = api.list_repo_files(repo_id, repo_type="dataset", revision=revision)
    except RepositoryNotFoundError:
        return {}, f"{repo_id}@{revision} (does not exist yet)"
    except RevisionNotFoundError:
        if revision == "main":
            return {}, f"{repo_id}@{revision} (does not exist yet)"
        on_main, _ = _remote_baseline(api, repo_id, "main")
        return on_main, f"{repo_id}@main (the branch {revision} does not exist yet and is created from it)"
    files: dict[str, FileEntry] = {}
    if MANIFEST_NAME in remote:
        # A private temporary cache: the published manifest is read once, never kept in the user's HF cache.
        with tempfile.TemporaryDirectory(prefix="factpack-hub-") as cache:
            try:
                path = api.hf_hub_download(
                    repo_id, MANIFEST_NAME, repo_type="dataset", revision=revision, cache_dir=cache
                )
                data = Path(path).read_bytes()
            except EntryNotFoundError:  # pragma: no cover - listed a moment ago
                data = b""
        try:
            listed = _baseline_files(BuildManifest.model_validate_json(data), data)
        except ValidationError:
            listed = {}  # not a factpack manifest: compare by presence only
        # Only what the repository really holds: a file the manifest lists but the repository lost is uploaded again.
        files = {name: entry for name, entry in listed.items() if name in remote}
    for name in remote:
        # A file the manifest does not describe (an old shard, a file added on the Hub) is replaced or deleted; an
        # all-zero hash marks it as differing from anything the folder holds. A listed file edited on the Hub
        # itself is not seen: the comparison is with the published manifest, not with the Hub's own hashes.
        if name != ".gitattributes" and name not in files:
            files[name] = FileEntry(path=name, bytes=0, sha256="0" * 64)
    return files, f"{repo_id}@{revision}"


def publish_to_hub(
    dist: Path,
    repo_id: str,
    *,
    revision: str = "main",
    private: bool = False,
    dry_run: bool = False,
    against: Path | None = None,
    endpoint: str | None = None,
) -> PublishResult:
    """Plan, and unless ``dry_run`` upload, ``dist`` to the dataset repository ``repo_id``.

    ``against``: the ``manifest.json`` of the published version to compare with (a dry run is offline and has
    no other baseline). ``endpoint``: another Hub (``HF_ENDPOINT`` works too).
    """
    if repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise ConfigError(f"{repo_id!r}: a repository id is 'owner/name', e.g. 'my-org/factpack-claims'")
    baseline: dict[str, FileEntry] | None = None
    baseline_name = "none: pass --against the published manifest.json to see what changes"
    if against is not None:
        baseline = _baseline_files(read_manifest(against), against.read_bytes())
        baseline_name = str(against)
    if dry_run:
        plan = plan_publish(
            dist, repo_id, revision=revision, private=private, baseline=baseline, baseline_name=baseline_name
        )
        return PublishResult(plan, dry_run=True)
    return _upload(dist, repo_id, revision, private, baseline, baseline_name, endpoint)


def _upload(
    dist: Path,
    repo_id: str,
    revision: str,
    private: bool,
    baseline: dict[str, FileEntry] | None,
    baseline_name: str,
    endpoint: str | None,
) -> PublishResult:
    from huggingface_hub import HfApi, get_token

    token = get_token()
    if token is None:
        raise ConfigError("no Hugging Face token: set HF_TOKEN or run 'hf auth login', or use --dry-run")
    api = HfApi(endpoint=endpoint, token=token, library_name="factpack", library_version=__version__)
    local = _local_files(dist)  # checks the folder before any request
    with _quiet_client():
        return _send(api, dist, local, repo_id, revision, private, baseline, baseline_name, token)


def _send(
    api: HfApi,
    dist: Path,
    local: dict[str, FileEntry],
    repo_id: str,
    revision: str,
    private: bool,
    baseline: dict[str, FileEntry] | None,
    baseline_name: str,
    token: str,
) -> PublishResult:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    try:
        if baseline is None:
            baseline, baseline_name = _remote_baseline(api, repo_id, revision)
        plan = _plan(local, repo_id, revision, private, baseline, baseline_name)
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        if private:  # create_repo leaves an existing repository's visibility as it was
            api.update_repo_settings(repo_id, private=True, repo_type="dataset")
        if revision != "main":
            api.create_branch(repo_id, branch=revision, repo_type="dataset", exist_ok=True)
        operations: list[CommitOperationAdd | CommitOperationDelete] = [
            CommitOperationAdd(path_in_repo=planned.path, path_or_fileobj=dist / planned.path)
            for planned in plan.files
            if planned.change in ("new", "changed", "upload")
        ] + [CommitOperationDelete(path_in_repo=planned.path) for planned in plan.files if planned.change == "deleted"]
        if not operations:
            return PublishResult(plan, dry_run=False)
        counts = read_manifest(dist / MANIFEST_NAME).counts
        message = f"factpack {__version__}: {counts.claims} claims from {counts.articles_accepted} articles"
        info = api.create_commit(repo_id, operations, commit_message=message, repo_type="dataset", revision=revision)
    except Exception as exc:
        # Whatever the Hub client raises (a refusal, a lost connection, the card's YAML refused, which it checks
        # before uploading anything, an answer it cannot read) is one line, never a traceback that could quote the
        # request: there is no debug mode to turn one on.
        text = str(exc).strip()
        reason = text.splitlines()[0] if text else type(exc).__name__
        # The Hub's own reason ("Invalid credentials …") follows the client's first line, when it gives one.
        server = (getattr(exc, "server_message", None) or "").strip()
        if server and server.splitlines()[0] not in reason:
            reason = f"{reason}: {server.splitlines()[0]}"
        first_line = mask(reason, token)
        error = PublishError(
            f"{repo_id}: upload failed ({first_line}); no files were committed (the repository may have been "
            "created or its visibility set); check the network and the token, then publish again"
        )
        if mask(text, token) != text:  # the client's own message quotes a secret: it is not chained either
            raise error from None
        raise error from exc
    return PublishResult(plan, dry_run=False, commit_url=info.commit_url)


@contextmanager
def _quiet_client() -> Iterator[None]:
    """The Hub client logs every retry of a failed request on stderr; factpack's own line says what failed, once."""
    logger = logging.getLogger("huggingface_hub")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def plan_as_json(result: PublishResult) -> dict[str, object]:
    """The result in the shape ``factpack publish --json`` prints."""
    plan = result.plan
    return {
        "repo_id": plan.repo_id,
        "revision": plan.revision,
        "private": plan.private,
        "dry_run": result.dry_run,
        "baseline": plan.baseline,
        "commit_url": result.commit_url,
        "files": [vars(planned) for planned in plan.files],
    }
