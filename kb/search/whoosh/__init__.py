"""The embedded search engine: a Whoosh index on local disk under DATA_DIR/index (one writer
at a time, searchers per thread). The only package that knows Whoosh."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from kb.policy import ReadScope
from kb.search.backend import Fingerprints, Progress, Rebuild, Write
from kb.search.documents import BuiltItem, item_key
from kb.search.results import SearchRequest, SearchResults, TitleSuggestion
from kb.search.whoosh import generations, index, querying, warming
from kb.search.whoosh.related import related


class WhooshBackend:
    name = "whoosh"
    writes_in_transaction = False

    def search(self, scope: ReadScope, request: SearchRequest, *,
               locked_titles: bool) -> SearchResults:
        return querying.search(scope, request, locked_titles=locked_titles)

    def suggest_titles(self, scope: ReadScope, text: str, limit: int) -> list[TitleSuggestion]:
        return querying.suggest_titles(scope, text, limit)

    def related(self, scope: ReadScope, text: str, types: tuple[str, ...], limit: int
                ) -> dict[str, list[TitleSuggestion]]:
        return related(scope, text, types, limit)

    @contextmanager
    def writing(self, session: Session) -> Iterator[Write]:
        with index.live_writer() as writer:
            def write(built: Iterable[BuiltItem]) -> None:
                for item in built:
                    writer.delete_by_term("item_key", item_key(item.type_name, item.item_id))
                    for document in item.documents:
                        writer.add_document(**document)

            yield write

    def rebuild(self, progress: Progress | None = None, *, processes: int | None = None,
                memory_mb: int = 1024) -> Rebuild:
        return generations.rebuild(progress, processes=processes, memory_mb=memory_mb)

    def fingerprints(self) -> Fingerprints:
        return generations.indexed_fingerprints()

    def after_check(self) -> None:
        index.remove_old_generations()

    def health(self) -> str:
        return index.health()

    def ensure(self) -> None:
        generations.ensure()

    def warm(self) -> None:
        warming.warm()

    def warm_thread(self) -> None:
        index.searcher()

    def close(self) -> None:
        index.close_searcher()
