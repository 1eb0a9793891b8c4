"""Multilingual feedback themes: which complaint(s) a buyer's feedback comment is about.

The vocabulary is data (``src/sellerdx/data/lexicon.toml``); this module only compiles and applies it.

* **Themes** (``THEMES``): ``not_as_described``, ``damaged``, ``late_delivery`` (includes "never arrived" /
  "not received"), ``wrong_item``, ``quality``, ``customer_service``, ``authenticity``, ``condition``,
  ``expired``.
* **Flags** (``FLAGS``), used to decide whether Amazon would remove the feedback: ``product_review`` (the
  comment is only about the product, not the seller's service), ``obscene``, ``personal_data`` (an e-mail
  address or a phone number).

Languages: English, German, French, Italian, Spanish, Japanese, Chinese (simplified and traditional) and
Vietnamese. Comments and lexicon entries are normalised alike (NFKC, casefold, Latin accents stripped,
traditional Chinese folded to simplified). Latin-script entries match at word starts (whole words unless
the entry is a ``stem*``); CJK entries match as substrings. Cheap negation ("not damaged", "nicht
beschädigt", "没有坏", "壊れていない") drops a hit. See the header of ``lexicon.toml`` for the rules.

Speed: the whole lexicon is compiled into one trie-shaped regular expression per script family (Latin,
CJK), so a comment is scanned once per family; a free-form regex runs only on comments that contain its
literal prefix (the prefixes are trie entries). ``classify_many`` handles about a million short comments
in about 20 seconds on one core (benchmarks/bench_themes.py).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from sellerdx.assets import load_toml

LEXICON_FILE = "lexicon.toml"

_NEUTRAL = "__neutral__"
_PRODUCT = "__product__"
_SERVICE = "__service__"
_OBSCENE = "obscene"
_TRIGGER = "__regex_trigger__"

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_TOKEN = re.compile(r"[\w']+")
_CLAUSE_PUNCT = re.compile(r"[.,;:!?()\[\]{}\n|]")
_MANY_DIGITS = re.compile(r"\d(?:[ ()./+-]?\d){6}")


# --------------------------------------------------------------------------------------------------
# Normalisation


def _build_fold_table(extra_folds: dict[str, str], hant_to_hans: str) -> dict[int, str | None]:
    """A ``str.translate`` table: Latin letters with diacritics -> base letter, extra folds, hant -> hans."""
    table: dict[int, str | None] = {}
    for cp in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii() and base:
            table[cp] = base.casefold()
    for cp in range(0x0300, 0x0370):          # stray combining diacritics
        table[cp] = None
    for src, dst in extra_folds.items():
        table[ord(src)] = dst
    for pair in hant_to_hans.split():
        if len(pair) != 2:
            raise ValueError(f"lexicon.toml: hant_to_hans entry {pair!r} is not a character pair")
        table[ord(pair[0])] = pair[1]
    return table


def _normaliser(table: dict[int, str | None]):
    def normalise(text: str) -> str:
        s = unicodedata.normalize("NFKC", text).casefold()
        if not s.isascii():
            s = s.translate(table)
        return " ".join(s.split())
    return normalise


# --------------------------------------------------------------------------------------------------
# Regex compilation


def _trie_pattern(entries: dict[str, bool], *, latin: bool) -> str:
    """One regex alternation shaped as a trie; ``entries`` maps normalised text -> is_stem.

    At each node longer continuations are tried before the end of an entry, so the longest entry wins.
    Latin entries must start at a word start and end at a word end (stems: anywhere in the word).
    """
    trie: dict[str, Any] = {}
    for text, stem in entries.items():
        node = trie
        for ch in text:
            node = node.setdefault(ch, {})
        node[""] = bool(stem) or bool(node.get("", False))

    end_word, end_stem = (r"(?!\w)", r"\w*") if latin else ("", "")

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != ""]
        if "" in node:
            alts.append(end_stem if node[""] else end_word)
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    if not trie:
        return r"(?!x)x"
    body = emit(trie)
    return (r"(?<!\w)" + body) if latin else body


_TRIGGER_LEN = 6
_TRIGGER_MAX = 200


def _regex_triggers(pattern: str, length: int = _TRIGGER_LEN) -> set[str] | None:
    """Literal prefixes (up to ``length`` characters) one of which every match of ``pattern`` starts with
    (``None``: cannot tell).

    The prefixes go into the keyword trie, so a free-form regex runs only on comments that contain one of
    its prefixes. Uses the standard library's regex parser; any surprise means "always run the regex".
    Zero-width assertions at the start (``\\b``, look-behinds) are skipped.
    """
    try:
        from re import _constants as C  # noqa: PLC0415 - CPython's regex parser, only to read trigger literals
        from re import _parser as P  # noqa: PLC0415
        items = list(P.parse(pattern))
    except Exception:   # pragma: no cover - private API changed: fall back to always running
        return None
    zero_width = (C.AT, C.ASSERT, C.ASSERT_NOT)

    def walk(seq: list[Any], budget: int) -> set[str] | None:
        i = 0
        while i < len(seq) and seq[i][0] in zero_width:
            i += 1
        if i == len(seq) or budget == 0:
            return {""}
        op, av = seq[i]
        rest = seq[i + 1:]
        if op is C.LITERAL:
            tail = walk(rest, budget - 1)
            return None if tail is None else {chr(av) + t for t in tail}
        if op is C.SUBPATTERN:
            return walk(list(av[-1]) + rest, budget)
        if op is C.IN and av and all(item_op is C.LITERAL for item_op, _ in av):   # (?:a|b) -> [ab]
            tail = walk(rest, budget - 1)
            return None if tail is None else {chr(c) + t for _, c in av for t in tail}
        if op is C.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                sub = walk(list(alt) + rest, budget)
                if sub is None or len(out) > _TRIGGER_MAX:
                    return None
                out |= sub
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, _hi, body = av
            if lo == 0:
                once, skip = walk(list(body) + rest, budget), walk(rest, budget)
                return None if once is None or skip is None else once | skip
            return walk(list(body), budget)
        return {""}

    try:
        found = walk(items, length)
    except Exception:   # pragma: no cover
        return None
    if not found or "" in found or len(found) > _TRIGGER_MAX:
        return None
    return found


@dataclass
class _Family:
    """The compiled lexicon of one script family (Latin or CJK)."""
    latin: bool
    exact: dict[str, set[str]] = field(default_factory=dict)   # normalised entry -> categories
    stems: dict[str, set[str]] = field(default_factory=dict)   # normalised stem -> categories
    regexes: list[tuple[str, str]] = field(default_factory=list)  # (category, pattern)
    trie_re: re.Pattern[str] | None = None
    compiled: list[re.Pattern[str]] = field(default_factory=list)  # one per regex, in order
    always: tuple[int, ...] = ()  # regexes without extractable triggers: run on every text
    _cat_cache: dict[str, frozenset[str]] = field(default_factory=dict)

    def add(self, text: str, stem: bool, category: str) -> None:
        target = self.stems if (stem and self.latin) else self.exact
        target.setdefault(text, set()).add(category)

    def compile(self) -> None:
        always = []
        for i, (_category, pattern) in enumerate(self.regexes):
            # Latin triggers: the first word (a trigger never swallows the next word); CJK: 2 characters.
            triggers = _regex_triggers(pattern, _TRIGGER_LEN if self.latin else 2)
            words = None if triggers is None else {t.split(" ")[0] if self.latin else t[:2] for t in triggers}
            if not words or "" in words:
                always.append(i)
            else:
                for word in words:
                    self.add(word, True, f"{_TRIGGER}{i}")
                    if not self.latin:
                        # also as a prefix: a longer keyword at the same place ("バッテリー" over the
                        # trigger "バッ") must not hide it (categories() looks up stems by prefix)
                        self.stems.setdefault(word, set()).add(f"{_TRIGGER}{i}")
        self.always = tuple(always)
        entries: dict[str, bool] = {t: False for t in self.exact}
        for t in self.stems:
            entries[t] = True
        self.trie_re = re.compile(_trie_pattern(entries, latin=self.latin))
        start = r"(?<!\w)" if self.latin else ""
        for _category, pattern in self.regexes:
            compiled = re.compile(start + "(?:" + pattern + ")")   # (?:...) adds no group: one compile checks both
            if compiled.groups:
                raise ValueError(f"lexicon.toml: regex {pattern!r} has capturing groups; use (?:...)")
            self.compiled.append(compiled)

    def categories(self, matched: str) -> frozenset[str]:
        """Categories of a trie match: its exact entry plus every stem it starts with (memoised)."""
        cached = self._cat_cache.get(matched)
        if cached is not None:
            return cached
        found = set(self.exact.get(matched, ()))
        if self.stems:
            for k in range(len(matched), 0, -1):
                found |= self.stems.get(matched[:k], set())
        result = frozenset(found)
        if len(self._cat_cache) < 100_000:
            self._cat_cache[matched] = result
        return result


@dataclass
class _Lexicon:
    themes: tuple[str, ...]
    flags: tuple[str, ...]
    normalise: Any
    latin: _Family
    cjk: _Family
    negators: frozenset[str]
    pseudo_followers: frozenset[str]
    clause_breaks: frozenset[str]
    latin_window: int
    cjk_before: tuple[str, ...]
    cjk_pseudo: tuple[str, ...]
    cjk_after: tuple[str, ...]
    cjk_window: int
    theme_set: frozenset[str]
    product_themes: frozenset[str]
    service_themes: frozenset[str]
    pd_ignore: re.Pattern[str] | None
    pd_re: re.Pattern[str] | None


def _entry_variants(entry: str, normalise, variants: dict[str, str]) -> set[str]:
    """The normalised spellings of one lexicon entry (with the ae/oe/ue spelling of umlauts)."""
    out = {normalise(entry)}
    folded = unicodedata.normalize("NFKC", entry).casefold()
    if any(k in folded for k in variants):
        for k, v in variants.items():
            folded = folded.replace(k, v)
        out.add(normalise(folded))
    out.discard("")
    return out


_LEXICON_LOCK = threading.Lock()

#: Name (prefix) of the threads that compile and import ahead of use (sellerdx.analysis): joined before a fork.
WARM_THREAD = "sellerdx-warm"


def _lexicon() -> _Lexicon:
    """The compiled lexicon (built once per process; a second thread asking meanwhile waits for it)."""
    with _LEXICON_LOCK:
        return _build_lexicon()


def warm() -> None:
    """Compile the lexicon now (~0.2 s of regular expressions). :class:`sellerdx.Analysis` calls it in a
    background thread while DuckDB reads the files, so the first comment classified does not wait."""
    _lexicon()


@functools.cache
def _build_lexicon() -> _Lexicon:
    data = load_toml(LEXICON_FILE)
    meta = data["meta"]
    norm_cfg = data["normalise"]
    table = _build_fold_table(norm_cfg.get("extra_folds", {}), norm_cfg.get("hant_to_hans", ""))
    normalise = _normaliser(table)
    variants = {unicodedata.normalize("NFKC", k).casefold(): v
                for k, v in norm_cfg.get("spelling_variants", {}).items()}
    cjk_langs = set(meta["cjk_languages"])
    latin, cjk = _Family(latin=True), _Family(latin=False)

    def add_lists(per_lang: dict[str, list[str]], category: str) -> None:
        for lang, words in per_lang.items():
            fam = cjk if lang in cjk_langs else latin
            for word in words:
                stem = word.endswith("*")
                for text in _entry_variants(word.rstrip("*"), normalise, variants):
                    fam.add(text, stem, category)

    # CJK regexes are written the natural way ("見え", "状態") and read the folded text ("见え", "状态"):
    # their traditional characters are folded like the comments'.
    hant = {ord(pair[0]): pair[1] for pair in norm_cfg.get("hant_to_hans", "").split() if len(pair) == 2}

    def add_regexes(per_lang: dict[str, list[str]], category: str) -> None:
        for lang, patterns in per_lang.items():
            fam = cjk if lang in cjk_langs else latin
            fam.regexes.extend((category, p.translate(hant) if fam is cjk else p) for p in patterns)

    for theme in meta["themes"]:
        spec = data["themes"][theme]
        add_lists(spec.get("keywords", {}), theme)
        add_regexes(spec.get("regex", {}), theme)
    add_lists(data.get("neutral", {}).get("keywords", {}), _NEUTRAL)
    flags = data["flags"]
    add_lists(flags["product_review"].get("keywords", {}), _PRODUCT)
    add_lists(flags["product_review"].get("service_words", {}), _SERVICE)
    add_lists(flags["obscene"].get("keywords", {}), _OBSCENE)
    add_regexes(flags["obscene"].get("regex", {}), _OBSCENE)
    latin.compile()
    cjk.compile()

    neg_l, neg_c = data["negation"]["latin"], data["negation"]["cjk"]
    pd = flags["personal_data"]
    return _Lexicon(
        themes=tuple(meta["themes"]),
        flags=tuple(meta["flags"]),
        normalise=normalise,
        latin=latin,
        cjk=cjk,
        negators=frozenset(normalise(w) for w in neg_l["negators"]),
        pseudo_followers=frozenset(normalise(w) for w in neg_l["pseudo_followers"]),
        clause_breaks=frozenset(normalise(w) for w in neg_l["clause_breaks"]),
        latin_window=int(neg_l["window"]),
        cjk_before=tuple(normalise(w) for w in neg_c["before"]),
        cjk_pseudo=tuple(normalise(w) for w in neg_c.get("pseudo", [])),
        cjk_after=tuple(normalise(w) for w in neg_c["after"]),
        cjk_window=int(neg_c["window"]),
        theme_set=frozenset(meta["themes"]),
        product_themes=frozenset(flags["product_review"]["product_themes"]),
        service_themes=frozenset(flags["product_review"]["service_themes"]),
        pd_ignore=re.compile("|".join(pd["ignore"])) if pd.get("ignore") else None,
        pd_re=re.compile("|".join(f"(?:{p})" for p in pd["regex"])) if pd.get("regex") else None,
    )


# --------------------------------------------------------------------------------------------------
# Matching


def _latin_negated(lex: _Lexicon, text: str, start: int, matched: str) -> bool:
    first = _TOKEN.match(matched)
    if first and first.group() in lex.negators:
        return False            # the entry is itself a negative phrase ("not as described")
    pre = text[max(0, start - 120):start]
    cut = None
    for cut in _CLAUSE_PUNCT.finditer(pre):  # noqa: B007 - keeps the last clause break
        pass
    if cut is not None:
        pre = pre[cut.end():]
    tokens = _TOKEN.findall(pre)[-lex.latin_window:]
    for i in range(len(tokens) - 1, -1, -1):
        tok = tokens[i]
        if tok in lex.clause_breaks:
            return False
        if tok in lex.negators:
            follower = tokens[i + 1] if i + 1 < len(tokens) else None
            if follower not in lex.pseudo_followers:
                return True
    return False


def _cjk_negated(lex: _Lexicon, text: str, start: int, end: int, matched: str) -> bool:
    if matched.startswith(lex.cjk_before):
        return False
    pre = text[max(0, start - lex.cjk_window - 1):start]
    for pseudo in lex.cjk_pseudo:
        pre = pre.replace(pseudo, " ")
    pre = pre[-lex.cjk_window:]
    if any(neg in pre for neg in lex.cjk_before):
        return True
    return text.startswith(lex.cjk_after, end)


def _classify_normalised(lex: _Lexicon, text: str) -> frozenset[str]:
    themes: set[str] = set()
    seen: set[str] = set()
    families = [lex.latin]
    if not text.isascii() and _CJK_CHAR.search(text):
        families.append(lex.cjk)
    theme_set = lex.theme_set
    for fam in families:
        hits: list[tuple[frozenset[str], int, int, str]] = []
        triggered: set[int] = set(fam.always)
        for m in fam.trie_re.finditer(text):  # type: ignore[union-attr]
            cats = fam.categories(m.group())
            if cats:
                for cat in cats:
                    if cat.startswith(_TRIGGER):
                        triggered.add(int(cat[len(_TRIGGER):]))
                seen |= cats
                hits.append((cats, m.start(), m.end(), m.group()))
        if triggered:
            # only the regexes whose literal prefix occurs in the text
            raw = [(frozenset((fam.regexes[i][0],)), m.start(), m.end(), m.group())
                   for i in sorted(triggered) for m in fam.compiled[i].finditer(text)]
            if raw:
                # The longer match wins: a keyword inside a regex match does not count on its own.
                hits = [h for h in hits if not any(r[1] <= h[1] and h[2] <= r[2] for r in raw)] + raw
        for cats, start, end, matched in hits:
            theme_cats = cats & theme_set
            if not theme_cats or theme_cats <= themes:
                continue
            negated = (_latin_negated(lex, text, start, matched) if fam.latin
                       else _cjk_negated(lex, text, start, end, matched))
            if not negated:
                themes |= theme_cats
        seen = {c for c in seen if not c.startswith(_TRIGGER)}
    product, service, obscene = _PRODUCT in seen, _SERVICE in seen, _OBSCENE in seen
    out = set(themes)
    if (product or themes & lex.product_themes) and not (themes & lex.service_themes) and not service:
        out.add("product_review")
    if obscene:
        out.add("obscene")
    if lex.pd_re is not None and ("@" in text or _MANY_DIGITS.search(text)):
        probe = text
        if lex.pd_ignore is not None:
            probe = lex.pd_ignore.sub(lambda m: " " * len(m.group()), probe)
        if lex.pd_re.search(probe):
            out.add("personal_data")
    return frozenset(out)


_EMPTY: frozenset[str] = frozenset()

#: The nine theme codes, in the lexicon's stable order.
THEMES: tuple[str, ...] = tuple(load_toml(LEXICON_FILE)["meta"]["themes"])
#: The removability flags ``classify`` may add beside the themes.
FLAGS: tuple[str, ...] = tuple(load_toml(LEXICON_FILE)["meta"]["flags"])


@functools.lru_cache(maxsize=65536)
def _classify_cached(comment: str) -> frozenset[str]:
    lex = _lexicon()
    text = lex.normalise(comment)
    if not text:
        return _EMPTY
    return _classify_normalised(lex, text)


def normalise(text: str) -> str:
    """The lexicon's normalisation of ``text`` (NFKC, casefold, Latin accents stripped, hant -> hans)."""
    return _lexicon().normalise(text)


def classify(comment: str | None) -> frozenset[str]:
    """Theme codes and flags of one feedback comment (empty for ``None``, blank or theme-less text).

    >>> sorted(classify("Arrived late and the box was crushed"))
    ['damaged', 'late_delivery']
    """
    if comment is None or not isinstance(comment, str):
        return _EMPTY
    return _classify_cached(comment)


#: Below this many comments ``classify_many`` stays in one process (starting workers costs more).
PARALLEL_MIN_COMMENTS = 200_000
_FORK_INPUT: list[str | None] = []


def _codes() -> tuple[str, ...]:
    return THEMES + FLAGS


def _classify_range(bounds: tuple[int, int]) -> list[int]:
    """Worker: bitmasks (over ``THEMES + FLAGS``) for ``_FORK_INPUT[start:stop]`` (inherited by fork)."""
    bit = {code: 1 << i for i, code in enumerate(_codes())}
    out = []
    for comment in _FORK_INPUT[bounds[0]:bounds[1]]:
        mask = 0
        for code in classify(comment):
            mask |= bit[code]
        out.append(mask)
    return out


def _worker_count(n: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    if n < PARALLEL_MIN_COMMENTS:
        return 1
    import multiprocessing  # noqa: PLC0415 - only for big comment sets (parallel classification)
    import os  # noqa: PLC0415
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:   # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def classify_many(comments: Iterable[str | None], *, workers: int | None = None) -> list[frozenset[str]]:
    """``classify`` over many comments, in order (repeated comments are classified once per process).

    From ``PARALLEL_MIN_COMMENTS`` comments on, and where the ``fork`` start method exists (Linux), the
    work is split over one forked process per available core; ``workers=1`` forces one process.
    """
    items = comments if isinstance(comments, list) else list(comments)
    n_workers = _worker_count(len(items), workers)
    if n_workers <= 1 or len(items) < 2:
        return [classify(c) for c in items]
    import multiprocessing  # noqa: PLC0415 - only for big comment sets

    global _FORK_INPUT
    _lexicon()                                   # compile once, before forking: children inherit it
    for thread in threading.enumerate():         # no lock (an import's) held by a warm-up thread at the fork
        if thread.name.startswith(WARM_THREAD) and thread is not threading.current_thread():
            thread.join()
    chunk = -(-len(items) // (n_workers * 4))
    bounds = [(i, min(i + chunk, len(items))) for i in range(0, len(items), chunk)]
    _FORK_INPUT = items
    try:
        with multiprocessing.get_context("fork").Pool(n_workers) as pool:
            masks = pool.map(_classify_range, bounds)
    except (OSError, AssertionError, RuntimeError):   # cannot start processes here: do it in this one
        return [classify(c) for c in items]
    finally:
        _FORK_INPUT = []
    codes = _codes()
    decoded: dict[int, frozenset[str]] = {}
    out: list[frozenset[str]] = []
    for part in masks:
        for mask in part:
            value = decoded.get(mask)
            if value is None:
                value = decoded[mask] = frozenset(c for i, c in enumerate(codes) if mask >> i & 1)
            out.append(value)
    return out


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def theme_table(con: duckdb.DuckDBPyConnection, table: str = "feedback") -> None:
    """Create or replace ``feedback_themes(order_id VARCHAR, theme VARCHAR)`` in ``con``.

    One row per (order_id, code) for every theme and flag of the ``comments`` of ``table`` (columns
    ``order_id``, ``comments``). ``theme`` holds theme codes (``THEMES``) and flag codes (``FLAGS``:
    ``product_review``, ``obscene``, ``personal_data``); filter on ``THEMES`` for themes only. Each distinct
    comment is classified once in Python (``classify_many``, in parallel for large tables); the fan-out to
    orders is a DuckDB join.
    """
    source = _quote_ident(table)
    distinct = con.execute(
        f"SELECT DISTINCT comments FROM {source} WHERE comments IS NOT NULL AND trim(comments) <> ''"
    ).fetchall()
    texts: list[str] = []
    codes: list[str] = []
    unique = [row[0] for row in distinct]
    for comment, found in zip(unique, classify_many(unique)):
        for code in sorted(found):
            texts.append(comment)
            codes.append(code)
    mapping = pa.table({"comments": pa.array(texts, pa.string()), "theme": pa.array(codes, pa.string())})
    view = "__sellerdx_comment_themes"
    con.register(view, mapping)
    try:
        con.execute(
            "CREATE OR REPLACE TABLE feedback_themes AS "
            f"SELECT DISTINCT CAST(f.order_id AS VARCHAR) AS order_id, CAST(m.theme AS VARCHAR) AS theme "
            f"FROM {source} AS f JOIN {view} AS m ON f.comments = m.comments "
            "ORDER BY order_id, theme"
        )
    finally:
        con.unregister(view)


def lexicon_languages() -> dict[str, dict[str, list[str]]]:
    """For each theme, the languages that have keyword entries (used by tests and docs)."""
    data = load_toml(LEXICON_FILE)
    out: dict[str, dict[str, list[str]]] = {}
    for theme in data["meta"]["themes"]:
        kw = data["themes"][theme].get("keywords", {})
        out[theme] = {lang: list(words) for lang, words in kw.items() if words}
    return out
