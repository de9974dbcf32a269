"""Content import (``kb import``): files and folders of Markdown with front matter become
articles and release notes. ``importer.import_paths`` is the entry point."""
