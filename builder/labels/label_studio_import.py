"""Curators' work back from Label Studio: its JSON export → :class:`~builder.models.Label` records → ``labels.jsonl``.

Read the **full JSON export** (Export → JSON), not JSON-MIN: only the full one keeps every annotation with its
``was_cancelled`` flag and timestamps. Each task must be one written by
:func:`~builder.labels.label_studio.export_label_studio` (its ``data`` carries the claim id and selector).

* Per task, the newest annotation that was not skipped (``was_cancelled``) counts: newest by ``updated_at``,
  else ``created_at``, then by annotation id. ``completed_by`` may be a user id or a user object; either is fine.
* Its ``check_worthy`` (yes/no), ``verdict`` and ``correction`` results make the label. Regions are not read:
  the highlighted span only shows the claim, so a moved highlight changes nothing (a wrong span is a correction).
  An annotation without any of the three judgements, like a task without annotation, gives no label.
* The label names its claim by ``claim_id`` and by a selector (article id, exact text, prefix, suffix) from the
  task data, so the build re-anchors it if the claim's span has moved since the export.
* Two tasks of one claim (tasks imported twice) pool their annotations: the newest wins.

Every problem is reported as a :class:`~builder.models.TaskProblem` (file, task position and id, field,
reason); nothing is raised for a bad task. By default one problem stops the import before the labels file is
touched; ``skip_invalid`` imports the good tasks anyway. How the labels file is changed is described in
:mod:`builder.labels.file`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from builder.config import LabelConfig
from builder.errors import ConfigError
from builder.files import unencodable
from builder.labels.file import Judgements, NewLabel, merge_labels_file
from builder.labels.label_studio import CHECK_WORTHY, CORRECTION, NO, VERDICT, YES
from builder.models import ImportReport, Label, LabelSelector, TaskProblem

__all__ = [
    "AnnotationKey",
    "ExportReading",
    "TaskReader",
    "import_label_studio",
    "json_kind",
    "read_label_studio_export",
    "read_tasks",
]

_CLAIM_ID = re.compile(r"[0-9a-f]{16}")
_OLDEST = datetime.min.replace(tzinfo=UTC)
_ANSWERS = {YES: True, NO: False}

AnnotationKey = tuple[datetime, int, int]
"""How annotations are ordered, newest last: timestamp, annotation id, position in the task."""


@dataclass
class ExportReading:
    """What a Label Studio export holds for factpack: one label per claim, in the order the tasks come.

    Every task is counted once: ``tasks == len(labels) + superseded + unannotated + invalid``.
    """

    tasks: int = 0
    labels: list[NewLabel] = field(default_factory=list)
    superseded: int = 0
    unannotated: int = 0
    invalid: int = 0
    problems: list[TaskProblem] = field(default_factory=list)


def import_label_studio(
    export: Path, raw_dir: Path, *, labels: LabelConfig | None = None, skip_invalid: bool = False
) -> ImportReport:
    """Merge the labels of the Label Studio JSON export ``export`` into ``raw_dir``'s labels file.

    The labels file is ``labels.labels_file`` under ``raw_dir`` (``labels.jsonl`` by default), created when
    missing. With any problem in the export, nothing is written unless ``skip_invalid``; the report's counts then
    say what the import would have done. Raises :class:`~builder.errors.ConfigError` when ``export`` or
    ``raw_dir`` cannot be used at all.
    """
    if not raw_dir.is_dir():
        raise ConfigError(f"{raw_dir}: not a folder; give the raw folder whose labels file to update")
    labels_file = (labels or LabelConfig()).labels_file
    path = raw_dir / labels_file
    reading = read_label_studio_export(export, labels_file=labels_file)
    write = skip_invalid or not reading.problems
    merged = merge_labels_file(path, reading.labels, write=write)
    return ImportReport(
        labels_file=str(path),
        tasks=reading.tasks,
        labels=len(reading.labels),
        superseded=reading.superseded,
        unannotated=reading.unannotated,
        invalid=reading.invalid,
        added=merged.added,
        replaced=merged.replaced,
        unchanged=merged.unchanged,
        problems=reading.problems,
        written=write and merged.changed,
        withheld=not write,
    )


def read_label_studio_export(export: Path, *, labels_file: str = LabelConfig().labels_file) -> ExportReading:
    """The labels of a Label Studio JSON export, and a problem for every task that cannot be read.

    ``labels_file`` is the labels file's name in the tasks' ``label_source`` (where a claim's current label is).
    """
    reading = ExportReading()
    name = str(export)
    tasks, problem = read_tasks(export)
    if problem is not None:
        reading.problems.append(problem)
        return reading
    reading.tasks = len(tasks)
    best: dict[str, tuple[AnnotationKey, NewLabel]] = {}
    for index, task in enumerate(tasks):
        reader = _TaskReader(name, index, task, labels_file)
        found = reader.read()
        if reader.problems:
            reading.problems.extend(reader.problems)
            reading.invalid += 1
        elif found is None:
            reading.unannotated += 1
        else:
            key, new = found
            claim_id = new.label.claim_id or ""
            reading.superseded += claim_id in best
            if claim_id not in best or key > best[claim_id][0]:
                # A dict keeps a key's first position, so labels stay in the order their claims first came.
                best[claim_id] = (key, new)
    reading.labels = [new for _, new in best.values()]
    return reading


def read_tasks(export: Path) -> tuple[list[Any], TaskProblem | None]:
    """The tasks of the Label Studio JSON export ``export``, or none and the problem when it is not a JSON array.

    Raises :class:`~builder.errors.ConfigError` when the file cannot be read at all.
    """
    name = str(export)
    try:
        raw = export.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{export}: cannot be read ({exc.strerror or exc}); give Label Studio's JSON export") from exc
    try:
        tasks = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], TaskProblem(file=name, loc="", reason=f"not JSON ({exc}); export again as JSON")
    if not isinstance(tasks, list):
        why = "not a JSON array of tasks; use Label Studio's JSON export (not JSON-MIN, CSV or a single task)"
        return [], TaskProblem(file=name, loc="", reason=why)
    return tasks, None


class TaskReader:
    """One task of a Label Studio export: its id, the problems found in it, and its newest annotation.

    Subclasses read what their tasks carry (a claim's label here; a pair's judgement in :mod:`builder.matching`).
    """

    def __init__(self, file: str, index: int, task: Any) -> None:
        self.file, self.index, self.task = file, index, task
        task_id = task.get("id") if isinstance(task, dict) else None
        self.task_id = task_id if isinstance(task_id, int) and not isinstance(task_id, bool) else None
        self.problems: list[TaskProblem] = []

    def problem(self, loc: str, reason: str) -> None:
        self.problems.append(
            TaskProblem(file=self.file, index=self.index, task_id=self.task_id, loc=loc, reason=reason)
        )

    def newest(self, annotations: Any) -> tuple[AnnotationKey, int, dict[str, Any]] | None:
        """The newest annotation not skipped, with its sort key and position; None when there is none."""
        if not isinstance(annotations, list):
            self.problem("annotations", f"expected a list of annotations, got {json_kind(annotations)}")
            return None
        newest = None
        for at, annotation in enumerate(annotations):
            loc = f"annotations[{at}]"
            if not isinstance(annotation, dict):
                self.problem(loc, f"an annotation must be a JSON object, not {json_kind(annotation)}")
                continue
            cancelled = annotation.get("was_cancelled", False)
            if not isinstance(cancelled, bool):
                self.problem(f"{loc}.was_cancelled", f"expected true or false, got {json_kind(cancelled)}")
            self._check_user(annotation.get("completed_by"), f"{loc}.completed_by")
            stamp = self._time(annotation, loc)
            annotation_id = annotation.get("id")
            number = annotation_id if isinstance(annotation_id, int) and not isinstance(annotation_id, bool) else -1
            if cancelled is not False:
                continue
            key = (stamp, number, at)
            if newest is None or key > newest[0]:
                newest = (key, at, annotation)
        return newest

    def _check_user(self, user: Any, loc: str) -> None:
        # The full export gives the user id; with some options (and in older versions) a user object instead.
        if user is None or (isinstance(user, int) and not isinstance(user, bool)):
            return
        if isinstance(user, dict) and (isinstance(user.get("id"), int) or isinstance(user.get("email"), str)):
            return
        self.problem(loc, f"expected a user id or a user object with an id, got {json_kind(user)}")

    def _time(self, annotation: dict[str, Any], loc: str) -> datetime:
        for key in ("updated_at", "created_at"):
            value = annotation.get(key)
            if value is None:
                continue
            try:
                stamp = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                stamp = None
            if stamp is None:
                self.problem(f"{loc}.{key}", f"expected an ISO 8601 timestamp, got {value!r}")
                return _OLDEST
            return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
        return _OLDEST


class _TaskReader(TaskReader):
    """One task: its problems, or the label of its newest annotation with that annotation's sort key."""

    def __init__(self, file: str, index: int, task: Any, labels_file: str) -> None:
        super().__init__(file, index, task)
        self.labels_file = labels_file

    def read(self) -> tuple[AnnotationKey, NewLabel] | None:
        """The label and its annotation's key; None with no label to import or with problems (``self.problems``)."""
        task = self.task
        if not isinstance(task, dict):
            self.problem("", f"a task must be a JSON object, not {json_kind(task)}")
            return None
        why = unencodable(task)
        if why is not None:
            self.problem("", why)
            return None
        claim = self._claim(task.get("data"))
        newest = self.newest(task.get("annotations", []))
        if claim is None or newest is None or self.problems:
            return None
        key, at, annotation = newest
        judgements = self._judgements(annotation.get("result"), f"annotations[{at}].result")
        if self.problems or all(value is None for value in judgements.values()):
            return None
        claim_id, selector, names = claim
        try:
            label = Label(claim_id=claim_id, selector=selector, **judgements)
        except ValidationError as exc:
            for error in exc.errors():
                self.problem(".".join(str(part) for part in error["loc"]), str(error["msg"]))
            return None
        line, current = self._current(task["data"])
        return key, NewLabel(label=label, article_names=names, source_line=line, current=current)

    def _current(self, data: dict[str, Any]) -> tuple[int | None, Judgements]:
        """Where the claim's label in the dataset came from, and what it says; only hints, so never a problem."""
        source = data.get("label_source")
        name, _, number = source.rpartition(":") if isinstance(source, str) else ("", "", "")
        line = int(number) if name == self.labels_file and number.isdigit() else None
        check_worthy, verdict, correction = (
            data.get(f"current_{key}") for key in ("check_worthy", "verdict", "correction")
        )
        current: Judgements = (
            check_worthy if isinstance(check_worthy, bool) else None,
            verdict if isinstance(verdict, str) else None,
            correction if isinstance(correction, str) else None,
        )
        return line, current

    def _claim(self, data: Any) -> tuple[str, LabelSelector, frozenset[str]] | None:
        """The claim's id and selector, and every name of its article (id, source file, file name)."""
        if not isinstance(data, dict):
            why = "missing; a JSON-MIN export flattens it away: export the project as JSON (the full format)"
            self.problem("data", why)
            return None
        claim_id = data.get("claim_id")
        if not isinstance(claim_id, str) or not _CLAIM_ID.fullmatch(claim_id):
            why = f"{claim_id!r} is not a factpack claim id; import only tasks made by factpack's Label Studio export"
            self.problem("data.claim_id", why)
        fields: dict[str, str] = {}
        for key, required in (("article_id", True), ("claim_text", True), ("prefix", False), ("suffix", False)):
            value = data.get(key, None if required else "")
            if not isinstance(value, str):
                self.problem(f"data.{key}", f"expected a string, got {json_kind(value)}")
            elif required and not value:
                self.problem(f"data.{key}", "is empty; the task must keep the data factpack exported")
            else:
                fields[key] = value
        if self.problems or not isinstance(claim_id, str):
            return None
        selector = LabelSelector(
            article=fields["article_id"], exact=fields["claim_text"], prefix=fields["prefix"], suffix=fields["suffix"]
        )
        names = {fields["article_id"]}
        source = data.get("source_file")
        if isinstance(source, str) and source:
            names |= {source, PurePosixPath(source).name}
        return claim_id, selector, frozenset(names)

    def _judgements(self, results: Any, loc: str) -> dict[str, Any]:
        judgements: dict[str, Any] = {"check_worthy": None, "verdict": None, "correction": None}
        if not isinstance(results, list):
            self.problem(loc, f"expected a list of results, got {json_kind(results)}")
            return judgements
        readers: dict[str, tuple[str, str, Callable[[Any, str], Any]]] = {
            CHECK_WORTHY: ("check_worthy", "choices", self._answer),
            VERDICT: ("verdict", "choices", self._verdict),
            CORRECTION: ("correction", "text", self._correction),
        }
        seen: set[str] = set()
        for at, result in enumerate(results):
            where = f"{loc}[{at}]"
            if not isinstance(result, dict):
                self.problem(where, f"a result must be a JSON object, not {json_kind(result)}")
                continue
            control = result.get("from_name")
            if not isinstance(control, str) or control not in readers:
                continue  # the claim's highlight, or a control a project added: not part of a label
            if control in seen:
                self.problem(f"{where}.from_name", f"a second {control!r} result; keep one answer per control")
                continue
            seen.add(control)
            target, key, read = readers[control]
            value = result.get("value")
            if not isinstance(value, dict) or key not in value:
                self.problem(f"{where}.value", f"expected an object with {key!r}, got {json_kind(value)}")
                continue
            judgements[target] = read(value[key], f"{where}.value.{key}")
        return judgements

    def _answer(self, choices: Any, loc: str) -> bool | None:
        answer = choices[0] if isinstance(choices, list) and len(choices) == 1 else None
        if not isinstance(answer, str) or answer not in _ANSWERS:
            self.problem(loc, f"expected ['{YES}'] or ['{NO}'], got {choices!r}")
            return None
        return _ANSWERS[answer]

    def _verdict(self, choices: Any, loc: str) -> str | None:
        if not (isinstance(choices, list) and len(choices) == 1 and isinstance(choices[0], str) and choices[0]):
            self.problem(loc, f"expected one verdict such as ['false'], got {choices!r}")
            return None
        verdict: str = choices[0]
        return verdict

    def _correction(self, text: Any, loc: str) -> str | None:
        if not (isinstance(text, list) and all(isinstance(line, str) for line in text)):
            self.problem(loc, f"expected a list of strings, got {json_kind(text)}")
            return None
        # A TextArea keeps one entry per submission; the config allows one, but join any so none is lost.
        joined = "\n".join(text)
        return joined if joined.strip() else None


def json_kind(value: Any) -> str:
    """What a JSON value is, for a message: "null", "an object", "a list", ..."""
    if value is None:
        return "null"
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return names.get(type(value), type(value).__name__)
