"""The search index: built with the site, searched in the reader's browser, no server needed.

Why our own and not Pagefind: Pagefind folds most diacritics but keeps ``đ``, so "dang uy" never
finds "Đảng ủy", and it has no notion of Vietnamese syllables forming a phrase. Vietnamese words
are space-separated syllables from a small vocabulary (a few thousand), which makes a compact
inverted index easy:

- every syllable of title, summary and body, folded (``Đảng`` → ``dang``), maps to the articles
  holding it; titles also get their own postings (``t:``), and accented syllables of title and
  summary theirs (``x:đảng``) so an exact-accent match ranks first;
- adjacent syllable pairs (``b:dan van``: anywhere, ``h:``: in the title, ``s:``: in the summary)
  tell a phrase ("Dân vận") from the same syllables scattered ("nhân dân ... văn hóa"); a pair
  never spans a clause mark (``. , ; : ! ?``) or a paragraph. A query's phrase matches are the
  articles holding all its pairs; the others are shown apart as loose matches;
- category, year and source unit are postings too (``c:``, ``y:``, ``u:``) so filters are
  intersections;
- ids are positions: info pages first, then the articles oldest first, so a newly published
  article takes the next id and every other posting stays as it was (the stored index is then
  updated, not rebuilt); "newest first" is sorting by id, descending;
- postings are gap-encoded runs in base 36 (``"0+9,3,1f"``), spread over shards by an FNV-1a
  hash of the term's syllable or pair (``shard_group``): ``dan``, ``t:dan`` and ``x:dân`` share a
  shard, as do ``b:``, ``h:`` and ``s:dan van``, so a query downloads one shard per syllable and
  per pair, plus the result chunks it displays. ``search.js`` in the theme implements the same
  folding, clause splitting and hashing;
- a common term's postings are cut into segments of ``config.search_segment`` ids (``term_keys``):
  its own key then holds only its count (``*1234``, for ranking by rarity), and ``term@7`` the ids
  of segment 7, in a shard picked by ``dan@7``. A search reads the newest two segments first and
  older ones when the reader asks for older articles (or finds fewer than a page), so what one
  search downloads stays about the same from 10,000 articles to 100,000. A rare term (at most an
  eighth of a segment's ids) stays whole: a rare query knows its every match in one download.

Only the articles a build publishes are indexed: drafts and scheduled articles never are in a
deploy build.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import math
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from .config import Config
from .errors import DamagedRecord
from .model import Site
from .slugs import fold
from .urls import href

FORMAT_VERSION = 4  # 4: common terms cut into segments; 3: ids are pages, then articles oldest first
CHUNK = 10  # results per documents chunk file: a page of ten ranked results may touch ten of them
# Largest rough size of a postings shard: a query downloads one per syllable and per pair, and one more per
# segment it reads of a common one. 8 KB: on the bench corpus, the shards a median query reads weigh 36 KB
# gzipped at 10,000 articles (65 KB with 16 KB shards) and 28 KB at 100,000 (a prototype; bench/README.md).
SHARD_BYTES = 8_000
SEGMENT = 4096  # ids in a segment of a common term's postings (config.search_segment's default)
_SYLLABLE = re.compile(r"\w+")
_CLAUSE = re.compile(r"[.,;:!?…\n]+")  # a phrase never runs across these (search.js: CLAUSE)


def shards_for(size: int) -> int:
    """How many shards an index of ``size`` (rough JSON bytes of all its postings) is spread over: a
    power of two, so that shards weigh SHARD_BYTES/2 to SHARD_BYTES and the count changes only when the
    index doubles. Each change rewrites every shard; with one more shard per SHARD_BYTES, every few new
    articles did."""
    return 1 << max(0, math.ceil(size / SHARD_BYTES) - 1).bit_length()


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes (search.js computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def encode_postings(ids: Iterable[int], base: int = 0) -> str:
    """Sorted ids as gap-encoded runs: each item is the gap since the last run's end (the first: since
    ``base``, a segment's first id), then ``+n`` when n more consecutive ids follow; base 36."""
    _fill_b36()
    items = []
    previous = base - 1
    run_start = run_end = None
    for value in ids:
        if run_end is not None and value == run_end + 1:
            run_end = value
            continue
        if run_start is not None:
            gap = _base36(run_start - previous - 1)
            items.append(gap if run_end == run_start else f"{gap}+{_base36(run_end - run_start)}")
            previous = run_end
        run_start = run_end = value
    if run_start is not None:
        gap = _base36(run_start - previous - 1)
        items.append(gap if run_end == run_start else f"{gap}+{_base36(run_end - run_start)}")
    return ",".join(items)


def decode_postings(text: str, base: int = 0) -> list[int]:
    """The inverse of ``encode_postings`` (in-place updates, tests; search.js has its own)."""
    ids: list[int] = []
    previous = base - 1
    for item in filter(None, text.split(",")):
        gap, _, run = item.partition("+")
        start = previous + 1 + int(gap, 36)
        count = int(run, 36) if run else 0
        ids.extend(range(start, start + count + 1))
        previous = start + count
    return ids


def _base36(n: int) -> str:
    if n < _B36_LIMIT and _B36:
        return _B36[n]
    return _base36_slow(n)


def _base36_slow(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(digits[r])
    return "".join(reversed(out))


_B36_LIMIT = 36**3
_B36: list[
    str
] = []  # the first _B36_LIMIT numbers in base 36, made on first use (not at import: a no-op build never needs them)


def _fill_b36() -> None:
    """The table, by joining digits (a third of a second number by number, every rebuild that updates the index)."""
    if not _B36:
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        two = [a + b for a in digits[1:] for b in digits]
        _B36.extend(digits)
        _B36.extend(two)
        _B36.extend(a + b for a in two for b in digits)


def index_key(config: Config, digests: dict[str, str]) -> str:
    """What the index depends on: each published article and page (by its digest) and the config.

    Each source's digest counts by a hash of the pair, and those hashes and the config's are folded together
    by XOR: the key is the same in whatever order the digests come, and the key after a few articles changed
    follows from the key before and those articles alone (``key_after``): a body edit at 100,000 articles
    need not read every digest to tell it."""
    folded = _config_hash(config)
    for source, digest in digests.items():
        folded ^= _pair_hash(source, digest)
    return f"{folded:032x}"


def key_after(key: str, changed: dict[str, tuple[str, str]]) -> str | None:
    """``index_key`` once these sources' digests changed (source -> (digest before, digest now)), from the
    key before; None when ``key`` is not one ``index_key`` makes."""
    if not (isinstance(key, str) and len(key) == 32 and all(c in "0123456789abcdef" for c in key)):
        return None
    folded = int(key, 16)
    for source, (before, now) in changed.items():
        folded ^= _pair_hash(source, before) ^ _pair_hash(source, now)
    return f"{folded:032x}"


def _config_hash(config: Config) -> int:
    return int.from_bytes(hashlib.blake2b(f"{config.source_hash}\n{FORMAT_VERSION}".encode(), digest_size=16).digest())


def _pair_hash(source: str, digest: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{source}\0{digest}".encode(), digest_size=16).digest())


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    """``fold`` for one word, remembered: a district's vocabulary is a few thousand syllables."""
    return fold(word)


def clauses(text: str) -> list[list[str]]:
    """The text's syllables (lowercase, NFC), cut at clause marks and line ends: the stretches
    inside which two neighbouring syllables may form a phrase."""
    return [_SYLLABLE.findall(part) for part in _CLAUSE.split(unicodedata.normalize("NFC", text).lower())]


def document_terms(title: str, summary: str, text: str) -> str:
    """The terms one article contributes, from its own text only (so they can be cached with it).

    ``text`` is the body's plain text, one line per block (``RenderedBody.words``). Terms: folded
    syllables, title syllables (``t:``), accented syllables of title and summary (``x:``) and
    folded syllable pairs: anywhere (``b:``), in the title (``h:``), in the summary (``s:``). One
    newline-separated string, in order of first appearance: cheap to pickle, cache and compare.
    """
    found: list[str] = []
    for part in clauses(text):
        words = list(map(_fold_word, part))
        found += words
        found += map("b:{} {}".format, words, words[1:])
    for where, head in (("h:", title), ("s:", summary)):
        for part in clauses(head):
            words = list(map(_fold_word, part))
            pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
            found += words
            found += ("b:" + pair for pair in pairs)
            found += (where + pair for pair in pairs)
            found += ("x:" + w for w, plain in zip(part, words, strict=True) if w != plain)
            if where == "h:":
                found += ("t:" + plain for plain in words)
    return "\n".join(dict.fromkeys(found))


def shard_group(term: str) -> str:
    """What picks a term's shard: its syllable or pair without the kind (``t:dan``, ``x:dân`` → ``dan``;
    ``h:dan van`` → ``dan van``), so the terms one query word needs arrive in one download; a segment's
    key keeps its number (``t:dan@7`` → ``dan@7``), so a query reads only the segments it searches."""
    term, at, segment = term.partition("@")
    if at:
        return f"{shard_group(term)}@{segment}"
    kind, colon, rest = term.partition(":")
    if not colon:
        return term
    if kind == "x":
        return _fold_word(rest)
    return rest if kind in _GROUPED else term


_GROUPED = frozenset("tbhs")


def rare_limit(segment: int) -> int:
    """The most ids a term may have and stay whole: an eighth of a segment (a few KB encoded)."""
    return segment // 8


def term_keys(term: str, ids: Sequence[int], segment: int) -> dict[str, str]:
    """The keys a term's sorted ids are published under: the term alone when it is rare, else its count
    (``*n``) and one key per segment holding any of its ids (``term@k``, gaps from the segment's first id).
    A function of the ids alone, so an updated index equals a fresh one."""
    if not ids:
        return {}
    if len(ids) <= rare_limit(segment):
        return {term: encode_postings(ids)}
    return {term: f"*{len(ids)}", **_segment_keys(term, ids, segment)}


def _segment_keys(term: str, ids: Sequence[int], segment: int) -> dict[str, str]:
    """``term@k`` -> the ids of segment k, for each segment holding any of these sorted ids."""
    keys = {}
    start = 0
    while start < len(ids):
        number = ids[start] // segment
        end = bisect.bisect_left(ids, (number + 1) * segment, start)
        keys[f"{term}@{number}"] = encode_postings(ids[start:end], number * segment)
        start = end
    return keys


def _segments(count: int, segment: int) -> range:
    """The numbers of the segments ``count`` ids fill."""
    return range(-(-count // segment))


def _is_count(value: str | None) -> bool:
    """Whether a term's own key holds its count (its ids are in segments) rather than its ids."""
    return bool(value) and value[0] == "*" and value[1:].isascii() and value[1:].isdigit()


class SearchIndexer:
    """Builds the index files, and builds them again cheaply in a long-running process.

    The preview server keeps one indexer between rebuilds: when the articles are the same, in
    the same order, only the postings of the terms that edited articles gained or lost are
    encoded again, and only the shards holding those terms are serialised again. The result is
    always byte-identical to a fresh build (shard count and all), which a test checks.
    """

    def __init__(self, store=None, segment: int = SEGMENT) -> None:
        self._store = store  # cache.Store: the index's record kept between builds (``stored_files``)
        self._segment = segment  # config.search_segment: a record made with another is made anew (_usable)
        self._order: tuple[str, ...] | None = None
        self._doc_terms: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._encoded: dict[str, str] = {}
        self._size = 0  # of all encoded terms, as they weigh in a shard
        self._hash: dict[str, int] = {}  # term -> FNV-1a of its shard group
        self._members: dict[int, set[str]] = {}  # shard -> its terms, for the current shard count
        self._files: dict[str, bytes] = {}
        self._folder = ""
        self._shard_count = 0
        # For a process that builds again (the preview): the last site's documents (the same site
        # object when only bodies were edited) and each article's seal, by the terms text it sealed.
        self._documents: tuple[Site, Config, tuple] | None = None
        self._seals: dict[str, tuple[str, bytes]] = {}
        self._head: tuple[list, tuple[str, int], dict[str, bytes]] | None = None  # the head files of those documents

    @property
    def segment(self) -> int:
        return self._segment

    def files(self, site: Site, config: Config, terms: dict[str, str], folder: str) -> dict[str, bytes]:
        order, doc_terms, docs, head = _documents(site, config, terms)
        if order == self._order and folder == self._folder:
            dirty = self._update(order, doc_terms)
        else:
            dirty = self._rebuild(order, doc_terms)
        self._order, self._doc_terms, self._folder = order, doc_terms, folder
        self._write_shards(folder, dirty)
        self._files.update(_head_files(folder, docs, head, self._shard_count, self._segment))
        for path in [p for p in self._files if p.startswith(f"{folder}d/") and p not in self._files_now(folder, docs)]:
            del self._files[path]
        return dict(self._files)

    @staticmethod
    def _files_now(folder: str, docs: list) -> set[str]:
        return {f"{folder}d/{start // CHUNK}.json" for start in range(0, len(docs), CHUNK)}

    def stored_files(
        self, site: Site, config: Config, terms: dict[str, str], folder: str, full: bool = False
    ) -> tuple[dict[str, bytes], dict[str, str]]:
        """The index files from the record kept in the store: (files made now, files kept as they were: path -> digest).

        Only the articles whose terms or filters differ from what they had indexed are looked at:
        their old and new terms are read, the postings of the terms they gained or lost are
        updated, and only the shards holding those terms are written again (a newly published article
        is appended: the ids of the others hold). ``full`` (or articles renumbered by a deletion or a
        date, or a new number of shards) rebuilds the whole index from every article's terms.
        ``terms`` may leave an article's terms empty: they are then read from the store.
        """
        store = self._store
        order, doc_terms, docs, head = self._documents_of(site, config, terms)
        key = _order_key(order)
        filters = {source: " ".join(f) for source, (_, f) in doc_terms.items()}
        seals = {source: self._seal_of(source, t) for source, (t, _) in doc_terms.items() if t}
        if len(self._seals) > len(doc_terms):  # articles gone: their terms are not kept for the life of the preview
            self._seals = {source: known for source, known in self._seals.items() if source in doc_terms}
        seals.update(store.term_seals([source for source, (t, _) in doc_terms.items() if not t]))
        state = store.info("search_state")
        result = None
        if not full and _usable(state, folder, self._segment) and _extends(order, key, state):
            indexed = store.indexed_docs()
            changed = [
                source for source in order if indexed.get(source, ())[:2] != (seals.get(source), filters[source])
            ]
            if len(changed) <= MAX_UPDATED:
                state = {**state, "order": key, "count": len(order)}
                ids = {source: n for n, source in enumerate(order)}
                new_terms = {source: doc_terms[source][0] for source in changed}
                result = self._stored_update(state, ids, new_terms, changed, seals, filters, folder, indexed)
        if result is None:
            result = self._stored_rebuild(key, order, doc_terms, seals, filters, folder)
        made, kept, shard_count = result
        known = self._head
        if known is None or known[0] is not docs or known[1] != (folder, shard_count):  # the same rows: the same files
            known = self._head = (
                docs,
                (folder, shard_count),
                _head_files(folder, docs, head, shard_count, self._segment),
            )
        made.update(known[2])
        return made, kept

    def _documents_of(self, site: Site, config: Config, terms: dict[str, str]):
        """``_documents``, reusing the rows of the same site (and config) as last time with these terms."""
        known = self._documents
        if known is None or known[0] is not site or known[1] != config:
            order, doc_terms, docs, head = _documents(site, config, terms)
            self._documents = (site, config, (order, {s: f for s, (_, f) in doc_terms.items()}, docs, head))
            return order, doc_terms, docs, head
        order, filters, docs, head = known[2]
        return order, {source: (terms.get(source, ""), f) for source, f in filters.items()}, docs, head

    def _seal_of(self, source: str, terms: str) -> bytes:
        known = self._seals.get(source)
        if known is not None and known[0] is terms:
            return known[1]
        seal = _seal(terms)
        self._seals[source] = (terms, seal)
        return seal

    def edited_files(
        self, terms: dict[str, str], folder: str, published: dict[str, str]
    ) -> tuple[dict[str, bytes], dict[str, str]] | None:
        """The index files after these articles' terms changed and nothing else did (``body_edit``): the
        shards made again; None when the record cannot say (then the build goes the long way).

        ``published`` is what the last good build put in the output (path -> digest): a record that got
        ahead of it (a build stopped after saving the record, before its swap) is not the output's."""
        store = self._store
        state = store.info("search_state")
        indexed = store.indexed_docs(list(terms))
        if not _usable(state, folder, self._segment):
            return None
        if indexed.keys() != terms.keys():
            return None
        files = state.get("files")
        if not isinstance(files, dict) or any(published.get(path) != digest for path, digest in files.items()):
            return None
        ids = {source: doc_id for source, (_seal_, _filters, doc_id) in indexed.items()}
        seals = {source: self._seal_of(source, t) for source, t in terms.items()}
        filters = {source: f for source, (_seal_, f, _id) in indexed.items()}
        result = self._stored_update(state, ids, terms, list(terms), seals, filters, folder, indexed)
        return None if result is None else result[:2]

    def retitled_chunks(
        self,
        folder: str,
        rows: dict[str, tuple[str, str, str]],
        published: dict[str, str],
        read: Callable[[str], bytes | None],
    ) -> dict[str, bytes] | None:
        """The result chunks holding these articles, with each one's title and summary as now (``body_edit``
        after a title or summary edit); None when the record or the published files cannot say.

        ``rows``: source -> (its link as the chunk has it, title, summary). The other rows of a chunk are
        taken from the file the last good build published (``published``: path -> digest; ``read`` gives a
        published file's bytes): only a file with that digest is trusted, and it is written back the way
        ``_head_files`` writes it, so the result is what a full build would make."""
        if not rows:
            return {}
        indexed = self._store.indexed_docs(list(rows))
        if indexed.keys() != rows.keys():
            return None
        by_chunk: dict[str, dict[int, tuple[str, str, str]]] = defaultdict(dict)
        for source, (_seal, _filters, doc_id) in indexed.items():
            by_chunk[f"{folder}d/{doc_id // CHUNK}.json"][doc_id % CHUNK] = rows[source]
        made = {}
        for path, changes in sorted(by_chunk.items()):
            data = read(path)
            if data is None or published.get(path) != file_digest(data):
                return None
            try:
                docs = json.loads(data)
            except ValueError:
                return None
            for n, (link, title, summary) in changes.items():
                row = docs[n] if isinstance(docs, list) and n < len(docs) else None
                if not (isinstance(row, list) and len(row) == 6 and row[0] == link):
                    return None
                row[1], row[5] = title, summary
            made[path] = _json(docs)
        return made

    def _stored_update(self, state, ids, new_terms, changed, seals, filters, folder, indexed):
        """Apply what the changed articles gained and lost to the stored postings; None: rebuild instead.

        ``ids``, ``new_terms`` (empty: read from the store), ``seals``, ``filters`` and ``indexed`` need
        only hold the changed articles."""
        store = self._store
        new_terms = {source: new_terms[source] for source in changed if new_terms.get(source)}
        new_terms.update(store.search_terms([source for source in changed if source not in new_terms]))
        old_terms = store.indexed_terms([source for source in changed if source in indexed])  # new ones had none
        if old_terms is None or len(new_terms) != len(changed):
            return None
        gained: dict[str, list[int]] = defaultdict(list)
        lost: dict[str, list[int]] = defaultdict(list)
        docs = {}
        for source in changed:
            before = {*_lines(old_terms[source]), *indexed[source][1].split()} if source in indexed else set()
            after = {*_lines(new_terms[source]), *filters[source].split()}
            for term in before - after:
                lost[term].append(ids[source])
            for term in after - before:
                gained[term].append(ids[source])
            docs[source] = (
                ids[source],
                seals.get(source) or _seal(new_terms[source]),
                filters[source],
                new_terms[source],
            )
        segment = self._segment  # the record's own (_usable)
        touched = sorted({*gained, *lost})
        encoded = store.postings(touched)
        # A segmented term: the segments its gained and lost ids fall in; all of them when it may become rare.
        segments: dict[str, set[int]] = {}
        for term in touched:
            if _is_count(encoded.get(term)):
                moved = [*gained.get(term, ()), *lost.get(term, ())]
                if int(encoded[term][1:]) - len(lost.get(term, ())) <= rare_limit(segment):
                    segments[term] = set(_segments(state["count"], segment))
                else:
                    segments[term] = {i // segment for i in moved}
        encoded.update(store.postings([f"{term}@{n}" for term, numbers in segments.items() for n in numbers]))
        size = state["size"]
        postings: dict[str, str | None] = {}
        for term in touched:
            gone = set(lost.get(term, ()))
            read: list[int] = []
            for n in sorted(segments.get(term, ())):
                read += decode_postings(encoded.get(f"{term}@{n}", ""), n * segment)
            if term not in segments:
                read = decode_postings(encoded.get(term, ""))
            ids = sorted({*(i for i in read if i not in gone), *gained.get(term, ())})
            keys: dict[str, str | None] = {f"{term}@{n}": None for n in segments.get(term, ())}  # gone unless made
            count = int(encoded[term][1:]) - len(read) + len(ids) if term in segments else len(ids)
            if term in segments and count > rare_limit(segment):  # still segmented: the other segments stay
                keys.update(_segment_keys(term, ids, segment))
                keys[term] = f"*{count}"
            else:  # every id of it is in hand (a rare one, or one whose every segment was read)
                keys.update(term_keys(term, ids, segment) or {term: None})
            for key, value in keys.items():
                if encoded.get(key):
                    size -= _weight(key, encoded[key])
                if value:
                    size += _weight(key, value)
                postings[key] = value
        shard_count = shards_for(size)
        if shard_count != state["shards"]:
            return None
        by_shard: dict[int, dict[str, str | None]] = defaultdict(dict)
        for term, value in postings.items():
            by_shard[_group_hash(term) % shard_count][term] = value
        made: dict[str, bytes] = {}
        for n, updates in by_shard.items():
            shard = store.shard_postings(n)
            for term, value in updates.items():
                if value is None:
                    shard.pop(term, None)
                else:
                    shard[term] = value
            made[f"{folder}t/{n}.json"] = _json({term: shard[term] for term in sorted(shard)})
        files = {**state["files"], **{path: file_digest(data) for path, data in made.items()}}
        kept = {path: digest for path, digest in state["files"].items() if path not in made}
        rows = [(term, _group_hash(term) % shard_count, value) for term, value in postings.items()]
        store.save_index({**state, "size": size, "files": files}, docs, rows)
        return made, kept, shard_count

    def _stored_rebuild(self, key, order, doc_terms, seals, filters, folder):
        """The whole index from every article's terms, and its record written anew.

        Terms the caller did not hold are read from the store ``TERMS_READ`` articles at a time, and each
        article's record is written as it is read: at 100,000 articles the terms weigh close to a GB, and
        only the postings made of them are ever all in memory (as arrays of 4-byte ids)."""
        store = self._store
        postings: dict[str, array] = defaultdict(lambda: array("I"))
        with store.rebuilding_index() as record:
            for start in range(0, len(order), TERMS_READ):
                chunk = order[start : start + TERMS_READ]
                lazy = [source for source in chunk if not doc_terms[source][0]]
                loaded = store.search_terms(lazy)
                if len(loaded) != len(lazy):
                    raise DamagedRecord(f"{len(lazy) - len(loaded)} articles' search terms are unreadable")
                rows = []
                for doc_id, source in enumerate(chunk, start):
                    own, own_filters = doc_terms[source]
                    text = own or loaded[source]
                    _add_postings(postings, doc_id, text, own_filters)
                    rows.append((source, doc_id, seals.get(source) or _seal(text), filters[source], text))
                record.docs(rows)
            self._hash = {}
            self._set_postings(postings)
            del postings
            self._write_shards(folder, set())
            made = {path: data for path, data in self._files.items() if path.startswith(f"{folder}t/")}
            record.postings(
                (term, self._hash[term] % self._shard_count, value) for term, value in self._encoded.items()
            )
            record.state(
                {
                    "order": key,
                    "count": len(order),
                    "folder": folder,
                    "version": FORMAT_VERSION,
                    "segment": self._segment,
                    "shards": self._shard_count,
                    "size": self._size,
                    "files": {path: file_digest(data) for path, data in made.items()},
                }
            )
        shard_count = self._shard_count
        self.__init__(store, self._segment)  # the record is in the store now; nothing large stays in memory
        return made, {}, shard_count

    def _write_shards(self, folder: str, dirty: set[str]) -> None:
        """Serialise the shards holding ``dirty`` terms, or all of them when their number changed."""
        shard_count = shards_for(self._size)
        if shard_count != self._shard_count:
            self._files = {path: data for path, data in self._files.items() if not path.startswith(f"{folder}t/")}
            self._members = {n: set() for n in range(shard_count)}
            for term in self._encoded:
                self._members[self._hash[term] % shard_count].add(term)
            dirty_shards = set(range(shard_count))
        else:
            dirty_shards = set()
            for term in dirty:
                n = self._hash[term] % shard_count
                (self._members[n].add if term in self._encoded else self._members[n].discard)(term)
                dirty_shards.add(n)
        self._shard_count = shard_count
        for n in dirty_shards:
            shard = {term: self._encoded[term] for term in sorted(self._members[n])}
            self._files[f"{folder}t/{n}.json"] = _json(shard)

    def _rebuild(self, order, doc_terms) -> set[str]:
        postings: dict[str, array] = defaultdict(lambda: array("I"))
        for doc_id, source in enumerate(order):
            own, filters = doc_terms[source]
            _add_postings(postings, doc_id, own, filters)
        return self._set_postings(postings)

    def _set_postings(self, postings: dict[str, array]) -> set[str]:
        """Encode every term's ids under its keys (the shards are then made from these)."""
        # Each term's ids go as soon as they are encoded: at 100,000 articles the ids and their encodings
        # are hundreds of MB each, and the build's largest process peaks here.
        segment = self._segment
        self._encoded = {}
        for term in list(postings):
            self._encoded.update(term_keys(term, postings.pop(term), segment))
        self._size = sum(_weight(key, value) for key, value in self._encoded.items())
        known = self._hash
        self._hash = {key: known[key] if key in known else _group_hash(key) for key in self._encoded}
        self._files = {}
        self._shard_count = 0
        return set(self._encoded)

    def _update(self, order, doc_terms) -> set[str]:
        """Apply what edited articles gained and lost; only the postings of those terms are decoded.
        Returns the keys made, changed or gone."""
        changed: dict[str, list[int]] = {}

        def postings(term: str) -> list[int]:
            if term not in changed:
                changed[term] = self._ids_of(term, len(order))
            return changed[term]

        for doc_id, source in enumerate(order):
            new, old = doc_terms[source], self._doc_terms[source]
            if new == old:
                continue
            before = {*(old[0].split("\n") if old[0] else ()), *old[1]}
            after = {*(new[0].split("\n") if new[0] else ()), *new[1]}
            for term in before - after:
                postings(term).remove(doc_id)
            for term in after - before:
                bisect.insort(postings(term), doc_id)
        dirty = set()
        for term, ids in changed.items():
            for key in self._keys_of(term, len(order)):
                self._size -= _weight(key, self._encoded.pop(key))
                dirty.add(key)
            for key, value in term_keys(term, ids, self._segment).items():
                self._encoded[key] = value
                self._size += _weight(key, value)
                if key not in self._hash:
                    self._hash[key] = _group_hash(key)
                dirty.add(key)
        return dirty

    def _keys_of(self, term: str, count: int) -> list[str]:
        """The keys a term has now: itself, and its segments when it is a common one."""
        return [term, *(key for key, _base in self._segments_of(term, count))] if term in self._encoded else []

    def _segments_of(self, term: str, count: int) -> list[tuple[str, int]]:
        """A common term's segment keys, each with its first id; none for a rare (whole) one."""
        if not _is_count(self._encoded.get(term)):
            return []
        keys = ((f"{term}@{n}", n * self._segment) for n in _segments(count, self._segment))
        return [(key, base) for key, base in keys if key in self._encoded]

    def _ids_of(self, term: str, count: int) -> list[int]:
        segments = self._segments_of(term, count)
        if not segments:
            return decode_postings(self._encoded.get(term, ""))
        return [i for key, base in segments for i in decode_postings(self._encoded[key], base)]


MAX_UPDATED = 2000  # more changed articles than this: rebuilding the index is as quick as updating it
TERMS_READ = 2000  # articles whose stored terms a full rebuild reads at a time


def _add_postings(postings: dict[str, array], doc_id: int, terms: str, filters: Iterable[str]) -> None:
    for term in (*(terms.split("\n") if terms else ()), *filters):
        postings[term].append(doc_id)


def _documents(site: Site, config: Config, terms: dict[str, str]):
    """(order, source -> (terms, filters), result rows, what meta.json lists) for the site's indexed articles."""
    categories = [(s.category.slug, s.category.name) for s in site.categories]
    category_index = {slug: i for i, (slug, _) in enumerate(categories)}
    units = [(t.slug, t.name) for t in site.source_units]
    unit_index = {name: i for i, t in enumerate(site.source_units) for name in _names_of(site, t.slug)}
    # Pages (content/pages/) first (no date, no category (-1), no filters), then the articles oldest
    # first: a new article is appended, and the ids of all the others stay.
    articles = sorted(site.articles, key=lambda a: (a.date.timestamp(), a.source))
    order = (*(p.source for p in site.pages), *(a.source for a in articles))
    doc_terms: dict[str, tuple[str, tuple[str, ...]]] = {}
    docs = []
    for info in site.pages:
        doc_terms[info.source] = (terms.get(info.source, ""), ())
        docs.append([href(config, info.url), info.title, "", -1, -1, info.summary])
    spans: dict[int, list[int]] = {}  # year -> [first id, last id + 1]: oldest first, a year's ids are one run
    for doc_id, article in enumerate(articles, len(site.pages)):
        unit = unit_index.get(article.source_unit)
        local = article.date.astimezone(config.tz)
        spans.setdefault(local.year, [doc_id, doc_id])[1] = doc_id + 1
        filters = (f"c:{category_index[article.category.slug]}", f"y:{local.year}")
        doc_terms[article.source] = (terms[article.source], filters + ((f"u:{unit}",) if unit is not None else ()))
        docs.append(
            [
                href(config, article.url),
                article.title,
                f"{local.day:02d}/{local.month:02d}/{local.year} | {local.hour:02d}:{local.minute:02d}",
                category_index[article.category.slug],
                -1 if unit is None else unit,
                article.summary,
            ]
        )
    years = sorted(spans, reverse=True)
    # Each year's ids, beside the years: a search filtered by year reads that year's segments, not the newer ones.
    head = {"categories": categories, "units": units, "years": years, "year_ids": [spans[year] for year in years]}
    return order, doc_terms, docs, head


def _order_key(order) -> str:
    return hashlib.blake2b("\n".join(order).encode(), digest_size=16).hexdigest()


def _usable(state, folder: str, segment) -> bool:
    """Whether the stored record is an index of this format, folder and segment size (else it is made anew)."""
    return (
        isinstance(state, dict)
        and state.get("folder") == folder
        and state.get("version") == FORMAT_VERSION
        and isinstance(segment, int)
        and segment > 0
        and state.get("segment") == segment
    )


def _extends(order: tuple[str, ...], key: str, state: dict) -> bool:
    """Whether the stored index's ids still hold: the same documents in the same order, or more
    appended after them (newly published articles)."""
    if state.get("order") == key:
        return True
    count = state.get("count")
    return isinstance(count, int) and 0 < count < len(order) and _order_key(order[:count]) == state.get("order")


def _head_files(folder: str, docs: list, head: dict, shard_count: int, segment: int) -> dict[str, bytes]:
    """meta.json and the result chunks: cheap to make, so made on every build (staging skips equal ones).

    meta.json's ``since`` gives each segment's oldest date, for the search page to say how far back it looked."""
    since = [  # the first article's: pages (content/pages/, first) have no date
        next((row[2].partition(" | ")[0] for row in docs[start : start + segment] if row[2]), "")
        for start in range(0, len(docs), segment)
    ]
    meta = {
        "version": FORMAT_VERSION,
        "docs": len(docs),
        "shards": shard_count,
        "chunk": CHUNK,
        "segment": segment,
        "since": since,
        **head,
    }
    files = {f"{folder}meta.json": _json(meta)}
    for start in range(0, len(docs), CHUNK):
        files[f"{folder}d/{start // CHUNK}.json"] = _json(docs[start : start + CHUNK])
    return files


def file_digest(data: bytes) -> str:
    """What staging names a file's content by (build.py uses the same)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _seal(terms: str) -> bytes:
    """The checksum the store keeps in front of an article's terms (cache._sealed)."""
    return hashlib.blake2b(terms.encode(), digest_size=16).digest()


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _weight(term: str, encoded: str) -> int:
    """Roughly what one term adds to its shard's JSON (quotes, colon, comma): for the shard count."""
    return len(term) + len(encoded) + 6


def _group_hash(term: str) -> int:
    return fnv1a(shard_group(term))


def _names_of(site: Site, slug: str) -> Iterable[str]:
    """Every spelling of a source unit that shares this slug (they share one page too)."""
    return [name for (kind, name), term in site.terms_by_name.items() if kind == "source_unit" and term.slug == slug]


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
