"""CPU time of rendering pathological Markdown (what a customer may type into a topic request)
next to real text; each figure is one render, in CPU seconds of this process.

    .venv/bin/python -m bench.markdown [--length 10000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kb import markdown

UNITS = ["[", "[a", "![", "[a](", '[a]("x) ', "[^", "*[", "[!", "[a][", "<a ", "<http",
         # blocks of one line each, in a row; footnote references to one footnote
         "# h\n", "a\n===\n", "***\n", "*[a]: b\n", "- ", "[^1]",
         # definitions that never end; DocFX directives followed by spaces
         "*[\n", "[^\n", "*[a]\n", "[!code[](" + " " * 2000, ":::image" + " " * 2000]


def cpu_seconds(source: str) -> float:
    start = time.process_time()
    try:
        markdown.render(source)
    except markdown.RenderError:
        pass
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--length", type=int, default=10000)
    length = parser.parse_args().length
    markdown.render("warm up")
    for unit in UNITS:
        source = unit * (length // len(unit))
        label = repr(unit) if len(unit) <= 12 else f"{unit.strip()!r}+{len(unit)} chars"
        print(f"{label:12} x{length // len(unit):<6} {cpu_seconds(source):8.3f} s")
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    print(f"{'README.md':21} {cpu_seconds(readme):8.3f} s")


if __name__ == "__main__":
    main()
