"""Compose a benchmark corpus of N new articles from the paragraphs of the BBC corpus, with a fixed seed.

Usage: python bench/make_corpus.py ../shared/corpora/bbc 10000 /tmp/bench/raw-10k [--seed 2026]

Each article takes a headline and 4-12 body paragraphs drawn from one BBC category, so the text is real news prose
but no article is a copy of a BBC one. The corpus is written outside the repository and never published.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bbc", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    categories: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted(args.bbc.rglob("*.txt")):
        if path.name.lower() == "readme.txt":
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, body = text.partition("\n")
        titles, paragraphs = categories.setdefault(path.parent.name, ([], []))
        titles.append(title.strip())
        paragraphs.extend(p.strip() for p in body.split("\n\n") if p.strip())
    folder = args.out / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(categories)
    for number in range(args.count):
        titles, paragraphs = categories[names[number % len(names)]]
        body = rng.sample(paragraphs, rng.randint(4, 12))
        text = f"{rng.choice(titles)}\n\n" + "\n\n".join(body) + "\n"
        (folder / f"{number:06d}.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
