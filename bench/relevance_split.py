"""The fixed split of the relevance queries into train and held-out (bench/relevance.py)."""

from __future__ import annotations

import hashlib

SPLIT_SALT = "kb-relevance-split-1"
SPLIT_RULE = (f'held out when the first byte of sha256("{SPLIT_SALT}:" + key) is odd; key = '
              "an article's path under corpus/articles without .md, or \"cranfield:\" + the "
              "query's .I number")


def held_out(key: str) -> bool:
    """Whether the query of ``key`` belongs to the held-out part (never tuned on)."""
    return hashlib.sha256(f"{SPLIT_SALT}:{key}".encode()).digest()[0] % 2 == 1


def split_keys(keys, part: str) -> list[str]:
    """The keys of ``part`` (held-out, train or all), in their given order."""
    if part == "all":
        return list(keys)
    return [key for key in keys if held_out(key) == (part == "held-out")]


def digest(keys) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:12]


def print_split(name: str, keys: list[str], part: str) -> None:
    held = split_keys(keys, "held-out")
    print(f"  split: {len(keys) - len(held)} train, {len(held)} held-out (digest "
          f"{digest(held)}); reported: {part}")
