"""A curator working in Label Studio, simulated: what its full JSON export (Export → JSON) holds afterwards.

The shape follows Label Studio's export as sampled in the research notes (``ls_export_json.json``): every task
with its id, data, annotations (each with ``completed_by``, ``result``, ``was_cancelled``, timestamps and
Label Studio's bookkeeping), prediction ids and the task's own bookkeeping. An annotation made from a prediction
copies the prediction's results (``origin: prediction``); what the curator answers is added (``origin: manual``).
"""

from __future__ import annotations

import copy
from typing import Any

PROJECT = 3


def annotation(
    task: dict[str, Any],
    *,
    check_worthy: str | None = None,
    verdict: str | None = None,
    correction: str | None = None,
    at: str = "2024-05-02T10:15:01.123456Z",
    user: int | dict[str, Any] = 2,
    cancelled: bool = False,
) -> dict[str, Any]:
    """One annotation of ``task`` (an imported task): the prediction accepted, then the curator's answers."""
    if cancelled:  # the Skip button: an annotation without results
        return {"completed_by": user, "result": [], "was_cancelled": True, "created_at": at, "updated_at": at}
    result = []
    answered = {"check_worthy": check_worthy, "verdict": verdict, "correction": correction}
    for item in copy.deepcopy(task["predictions"][0]["result"]):
        if item["from_name"] in answered and answered[item["from_name"]] is not None:
            continue  # the curator changes a pre-filled answer: written below instead
        result.append({**item, "id": item.get("id", f"p{len(result)}"), "origin": "prediction"})
    for control, answer in answered.items():
        if answer is None:
            continue
        kind, key = ("textarea", "text") if control == "correction" else ("choices", "choices")
        result.append(
            {"value": {key: [answer]}, "id": f"m{len(result)}", "from_name": control, "to_name": "context",
             "type": kind, "origin": "manual"}
        )  # fmt: skip
    return {"completed_by": user, "result": result, "was_cancelled": False, "created_at": at, "updated_at": at}


def export_json(tasks: list[dict[str, Any]], annotations: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Label Studio's JSON export of a project into which ``tasks`` were imported, with ``annotations`` by task
    position; task ids start at 101, annotation ids at 1001, prediction ids at 501, in order."""
    export = []
    next_annotation = 1001
    for position, task in enumerate(tasks):
        task_id, prediction_id = 101 + position, 501 + position
        made = []
        for given in annotations.get(position, []):
            user = given["completed_by"]
            made.append(
                {
                    "id": next_annotation,
                    **given,
                    "ground_truth": False,
                    "lead_time": 42.5,
                    "unique_id": f"4f0b6a52-6c0e-4c57-9a53-{next_annotation:012d}",
                    "updated_by": user["id"] if isinstance(user, dict) else user,
                    "parent_prediction": None if given["was_cancelled"] else prediction_id,
                    "parent_annotation": None,
                    "draft_created_at": None,
                    "prediction": {},
                    "result_count": 0,
                    "import_id": None,
                    "last_action": None,
                    "bulk_created": False,
                    "task": task_id,
                    "project": PROJECT,
                    "last_created_by": None,
                }
            )
            next_annotation += 1
        cancelled = sum(1 for a in made if a["was_cancelled"])
        export.append(
            {
                "id": task_id,
                "annotations": made,
                "file_upload": "b2c3d4e5-tasks.json",
                "drafts": [],
                "predictions": [prediction_id],
                "data": copy.deepcopy(task["data"]),
                "meta": {},
                "created_at": "2024-05-01T09:00:00.000000Z",
                "updated_at": "2024-05-02T11:00:00.000000Z",
                "inner_id": position + 1,
                "total_annotations": len(made) - cancelled,
                "cancelled_annotations": cancelled,
                "total_predictions": 1,
                "comment_count": 0,
                "unresolved_comment_count": 0,
                "last_comment_updated_at": None,
                "project": PROJECT,
                "updated_by": None,
                "comment_authors": [],
            }
        )
    return export
