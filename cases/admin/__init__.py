"""The admin where editors keep the casebook current.

Every model keeps an edit history with diffs and revert (django-simple-history), and every
edit form refuses to save over a change someone else saved after it was opened. Roles come
from the "editors", "viewers" and "reviewers" groups (migrations 0005, 0008 and 0011)."""

from . import cases, corrections, index, records  # noqa: F401  (each registers its admins)
