"""An in-memory stand-in for the Hub's HTTP API on 127.0.0.1, for driving the real ``huggingface_hub`` offline.

It answers what ``factpack publish`` sends through ``HfApi``: create a repository, change its visibility, create a
branch, list a revision's files, download a file, validate the card's YAML and commit. Every file is answered as
"regular" (sent inline in the commit), so no LFS or Xet transfer happens. A request it does not know gets a 404 and
is recorded in ``unknown``, so a test can assert that nothing unexpected was asked.

What a test observes: ``commits`` (each with the paths it added and deleted), ``visibility`` (every change of a
repository's visibility), ``branches_created`` (with the revision each started from). What a test arranges:
``add_repo`` (a repository that exists already, public or private, with files), and ``refuse`` (every request
answered with that HTTP status, its error message, in the body and the ``X-Error-Message`` header as the Hub sends
one, echoing the request's Authorization header back, as a careless proxy or server might: a test of what reaches
the user from the Hub's answer).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest


class FakeHub:
    def __init__(self) -> None:
        # "datasets/owner/name" -> {"private": bool, "branches": {branch: {path: bytes}}}
        self.repos: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.unknown: list[tuple[str, str]] = []
        self.commits: list[dict[str, Any]] = []
        self.yaml_errors: list[str] = []  # what /api/validate-yaml answers, set by a test
        self.visibility: list[tuple[str, bool]] = []  # (repo id, private) for every settings change
        self.branches_created: list[tuple[str, str, str]] = []  # (repo id, branch, the revision it started from)
        self.refuse: int | None = None  # answer every request with this status (401, 403, 500 …)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def tree(self, repo_id: str, branch: str = "main") -> dict[str, bytes]:
        return dict(self.repos[f"datasets/{repo_id}"]["branches"][branch])

    def add_repo(self, repo_id: str, *, private: bool = False, files: dict[str, bytes] | None = None) -> None:
        """A dataset repository that exists before the test publishes, with ``files`` on its main branch."""
        self.repos[f"datasets/{repo_id}"] = {"private": private, "branches": {"main": dict(files or {})}}

    def private(self, repo_id: str) -> bool:
        return bool(self.repos[f"datasets/{repo_id}"]["private"])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serving(monkeypatch: pytest.MonkeyPatch, token: str = "hf_test_token") -> Iterator[FakeHub]:
    """A stand-in Hub that ``huggingface_hub`` talks to, with ``token`` in ``HF_TOKEN``. The suite runs with
    HF_HUB_OFFLINE=1, lifted here for that address only; the default endpoint is the stand-in's, so that
    ``factpack publish`` reaches it as it would reach the Hub."""
    import huggingface_hub.constants

    hub = FakeHub()
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    pointing(monkeypatch, hub.endpoint)
    monkeypatch.setenv("HF_TOKEN", token)
    try:
        yield hub
    finally:
        hub.close()


def pointing(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Make ``endpoint`` the Hub ``huggingface_hub`` talks to by default (both values it read from HF_ENDPOINT at
    import: the API's and the file downloads' template), so that no request leaves for huggingface.co."""
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", endpoint)
    template = endpoint + "/{repo_id}/resolve/{revision}/{filename}"
    monkeypatch.setattr(huggingface_hub.constants, "HUGGINGFACE_CO_URL_TEMPLATE", template)


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(code)
            self.send_header(
                "Content-Type", "application/octet-stream" if isinstance(body, bytes) else "application/json"
            )
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _body(self) -> bytes:
            size = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(size) if size else b""

        def _not_found(self, what: str) -> None:
            self._send(404, {"error": what}, {"X-Error-Code": what})

        def _repo(self, parts: list[str]) -> tuple[str, dict[str, Any] | None]:
            repo_id = "/".join(parts[:3])
            return repo_id, hub.repos.get(repo_id)

        def do_HEAD(self) -> None:
            self.do_GET()

        def _refused(self) -> bool:
            if hub.refuse is None:
                return False
            self._body()
            echoed = self.headers.get("Authorization", "")
            message = f"refused ({hub.refuse}) for {echoed}"
            self._send(hub.refuse, {"error": message}, {"X-Error-Message": message})
            return True

        def do_GET(self) -> None:
            hub.requests.append((self.command, self.path, dict(self.headers)))
            if self._refused():
                return
            parts = [unquote(p) for p in urlsplit(self.path).path.split("/")][1:]
            # /api/datasets/{owner}/{name}/tree/{revision}[/{path}]
            if parts[:1] == ["api"] and len(parts) >= 6 and parts[4] == "tree":
                _, repo = self._repo(parts[1:4])
                if repo is None:
                    self._not_found("RepoNotFound")
                    return
                branch = repo["branches"].get(parts[5])
                if branch is None:
                    self._not_found("RevisionNotFound")
                    return
                entries = [
                    {"type": "file", "path": path, "size": len(data), "oid": hashlib.sha1(data).hexdigest()}
                    for path, data in sorted(branch.items())
                ]
                self._send(200, entries)
                return
            # /datasets/{owner}/{name}/resolve/{revision}/{path}
            if parts[:1] == ["datasets"] and len(parts) >= 6 and parts[3] == "resolve":
                _, repo = self._repo(parts[0:3])
                branch = None if repo is None else repo["branches"].get(parts[4])
                data = None if branch is None else branch.get("/".join(parts[5:]))
                if data is None:
                    self._not_found("EntryNotFound")
                    return
                etag = '"' + hashlib.sha1(data).hexdigest() + '"'
                self._send(200, data, {"ETag": etag, "X-Repo-Commit": "0" * 40})
                return
            hub.unknown.append((self.command, self.path))
            self._not_found("NotInFake")

        def do_PUT(self) -> None:
            hub.requests.append(("PUT", self.path, dict(self.headers)))
            if self._refused():
                return
            parts = [unquote(p) for p in urlsplit(self.path).path.split("/")][1:]
            body = json.loads(self._body() or b"{}")
            # /api/datasets/{owner}/{name}/settings
            if parts[:1] == ["api"] and parts[4:] == ["settings"]:
                _, repo = self._repo(parts[1:4])
                if repo is None:
                    self._not_found("RepoNotFound")
                    return
                if "private" in body:
                    repo["private"] = body["private"]
                if "visibility" in body:
                    repo["private"] = body["visibility"] == "private"
                hub.visibility.append(("/".join(parts[2:4]), bool(repo["private"])))
                self._send(200, {})
                return
            hub.unknown.append(("PUT", self.path))
            self._not_found("NotInFake")

        def do_POST(self) -> None:
            hub.requests.append(("POST", self.path, dict(self.headers)))
            if self._refused():
                return
            body = self._body()
            parts = [unquote(p) for p in urlsplit(self.path).path.split("/")][1:]
            if parts == ["api", "validate-yaml"]:
                errors = [{"message": message} for message in hub.yaml_errors]
                self._send(400 if errors else 200, {"errors": errors, "warnings": []})
                return
            if parts == ["api", "repos", "create"]:
                payload = json.loads(body)
                repo_id = f"{payload['type']}s/{payload.get('organization') or 'tester'}/{payload['name']}"
                if repo_id in hub.repos:
                    self._send(409, {"error": "You already created this dataset repo", "url": repo_id})
                    return
                private = payload.get("private") or payload.get("visibility") == "private"
                hub.repos[repo_id] = {"private": bool(private), "branches": {"main": {}}}
                self._send(200, {"url": f"{hub.endpoint}/{repo_id}", "name": repo_id})
                return
            # /api/datasets/{owner}/{name}/{operation}/{revision}
            if parts[:1] == ["api"] and len(parts) >= 6:
                _, repo = self._repo(parts[1:4])
                operation, revision = parts[4], "/".join(parts[5:])
                if repo is None:
                    self._not_found("RepoNotFound")
                    return
                if operation == "preupload":
                    files = json.loads(body)["files"]
                    modes = [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files]
                    self._send(200, {"files": modes})
                    return
                if operation == "branch":
                    if revision in repo["branches"]:
                        self._send(409, {"error": "Reference already exists"})
                        return
                    start = json.loads(body or b"{}").get("startingPoint") or "main"
                    repo["branches"][revision] = dict(repo["branches"][start])
                    hub.branches_created.append(("/".join(parts[2:4]), revision, start))
                    self._send(200, {})
                    return
                if operation == "commit":
                    self._commit("/".join(parts[1:4]), repo, revision, body)
                    return
            hub.unknown.append(("POST", self.path))
            self._not_found("NotInFake")

        def _commit(self, repo_id: str, repo: dict[str, Any], revision: str, body: bytes) -> None:
            if revision not in repo["branches"]:
                self._not_found("RevisionNotFound")
                return
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            tree = repo["branches"][revision]
            added, deleted = [], []
            for item in lines[1:]:
                value = item["value"]
                if item["key"] == "file":
                    tree[value["path"]] = base64.b64decode(value["content"])
                    added.append(value["path"])
                elif item["key"] == "deletedFile":
                    tree.pop(value["path"], None)
                    deleted.append(value["path"])
            oid = hashlib.sha1(body).hexdigest()
            hub.commits.append(
                {
                    "revision": revision,
                    "summary": lines[0]["value"]["summary"],
                    "lines": [x["key"] for x in lines[1:]],
                    "added": sorted(added),
                    "deleted": sorted(deleted),
                }
            )
            self._send(200, {"commitUrl": f"{hub.endpoint}/{repo_id}/commit/{oid}", "commitOid": oid, "success": True})

    return Handler
