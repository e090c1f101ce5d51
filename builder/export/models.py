"""What the exports report back: small frozen records, ready for ``--json`` output.

They live here rather than in :mod:`builder.models` because nothing in a built dataset or a schema file is made of
them; they only describe one run of an export or an import.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["ClaimReviewReport", "ImportReport", "LabelStudioReport", "TaskProblem"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClaimReviewReport(_Record):
    """What :func:`~builder.export.claimreview.export_claimreview` wrote."""

    path: str = Field(description="The JSON Lines file written.")
    claims: int = Field(ge=0, description="Documents written: one per claim.")
    authors: dict[str, int] = Field(
        description="Documents by author kind: 'Person', 'Organization' (the outlet) or 'none'."
    )


class LabelStudioReport(_Record):
    """What :func:`~builder.export.label_studio.export_label_studio` wrote."""

    tasks_file: str = Field(description="The tasks to import into Label Studio (a JSON array).")
    config_file: str = Field(description="The labeling config the tasks are made for.")
    tasks: int = Field(ge=0, description="Tasks written: one per claim.")
    prefilled: int = Field(ge=0, description="Tasks whose claim already carried a curator's label, pre-filled.")


class TaskProblem(_Record):
    """One problem with one task of a Label Studio export: where it is and why it cannot be imported."""

    file: str = Field(description="The export file, as given.")
    index: int | None = Field(default=None, ge=0, description="0-based position of the task in the export array.")
    task_id: int | None = Field(default=None, description="Label Studio's id of the task, when it has one.")
    loc: str = Field(description="Path of the field at fault inside the task; empty for the task or file as a whole.")
    reason: str = Field(description="What is wrong and how to fix it.")

    def __str__(self) -> str:
        if self.index is None:
            return f"{self.file}: {self.loc or '(file)'}: {self.reason}"
        task = "task" if self.task_id is None else f"task {self.task_id}"
        return f"{self.file}: {task} (#{self.index}): {self.loc or '(task)'}: {self.reason}"


class ImportReport(_Record):
    """What :func:`~builder.export.label_studio_import.import_label_studio` did to ``raw/labels.jsonl``."""

    labels_file: str = Field(description="The labels file merged into.")
    tasks: int = Field(ge=0, description="Tasks in the export: labels + superseded + unannotated + invalid.")
    labels: int = Field(ge=0, description="Labels read: one per claim with a usable annotation.")
    superseded: int = Field(
        ge=0, description="Tasks whose label lost to a newer annotation in another task of the same claim."
    )
    unannotated: int = Field(
        ge=0, description="Tasks with no annotation to import: none, only skipped (cancelled) ones, or no judgement."
    )
    invalid: int = Field(ge=0, description="Tasks with problems, not imported.")
    added: int = Field(ge=0, description="Lines appended for claims not labelled before.")
    replaced: int = Field(ge=0, description="Lines rewritten because the claim's label changed.")
    unchanged: int = Field(ge=0, description="Lines that already said the same, left as they were.")
    problems: list[TaskProblem] = Field(description="Tasks that could not be imported, with the reason.")
    written: bool = Field(description="Whether the labels file was written (not with problems unless skip_invalid).")

    @model_validator(mode="after")
    def _reconciles(self) -> ImportReport:
        if self.tasks != self.labels + self.superseded + self.unannotated + self.invalid:
            raise ValueError("tasks must equal labels + superseded + unannotated + invalid")
        return self
