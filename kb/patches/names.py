"""Safe names for stored files moved to ``kb/storage/names.py``; kept for old imports."""

from kb.storage.names import content_disposition, safe_file_name  # noqa: F401
