"""The package version: a leaf module, so that any layer may name the version without importing the package."""

__all__ = ["__version__"]

__version__ = "0.1.0"
