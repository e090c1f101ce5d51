"""The exports' fixtures: the richer seed dataset (see :mod:`rich_dataset`)."""

from rich_dataset import rich_dist, rich_raw

__all__ = ["rich_dist", "rich_raw"]
