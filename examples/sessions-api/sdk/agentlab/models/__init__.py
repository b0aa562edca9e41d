"""Pydantic models of the sessions API contract (generated; see ``_generated.py``)."""

from ._generated import *  # noqa: F401,F403
from ._generated import __all__ as __all__  # noqa: F401
