"""What a stored result was made by (assets.code_fingerprint): every module, query, schema, data file and
template of sellerdx. A cache entry or a portfolio account's outputs made by another commit of the same
version are never reused."""

from __future__ import annotations

from types import SimpleNamespace

from sellerdx import assets, cache
from sellerdx.portfolio import fingerprint
from sellerdx.portfolio.accounts import Account


def _names() -> list[str]:
    return [name for name, _file in assets.code_files()]


def test_code_files_hold_modules_queries_schemas_data_and_templates():
    names = _names()

    def has(tail: str) -> bool:
        return any(name.endswith(tail) for name in names)

    # a module of the reading (validation's SQL is built in Python), of the prepared tables, and of the plan
    assert "sellerdx/validate/compile.py" in names
    assert "sellerdx/metrics/prepared.py" in names
    assert "sellerdx/plan.py" in names
    # wherever the install keeps them: sellerdx/queries/... in a wheel, queries/... in a source checkout
    assert has("queries/metrics/order_facts.sql") and has("queries/load/load_orders.sql")
    assert has("schemas/orders.yaml")
    assert "sellerdx/data/reports.toml" in names
    assert "sellerdx/templates/report.html.j2" in names


def test_code_files_leave_out_compiled_python():
    assert not [name for name in _names() if "__pycache__" in name or name.endswith((".pyc", ".pyo"))]
    assert len(set(_names())) == len(_names())   # each file once


def test_fingerprint_changes_with_one_byte_of_one_file(tmp_path, monkeypatch):
    one, two = tmp_path / "one.py", tmp_path / "two.sql"
    one.write_text("x = 1\n")
    two.write_text("SELECT 1\n")
    monkeypatch.setattr(assets, "code_files", lambda: [("sellerdx/one.py", one), ("queries/two.sql", two)])
    compute = assets.code_fingerprint.__wrapped__   # the memoised function, computed again
    before = compute()
    assert compute() == before                      # stable for the same files
    two.write_text("SELECT 2\n")
    after = compute()
    assert after != before
    two.write_text("SELECT 1\n")
    assert compute() == before                      # the content decides, not the time


def test_cache_keys_follow_the_code(tmp_path, monkeypatch):
    store = cache.FileCache(tmp_path / "cache", marketplace=None)
    src = SimpleNamespace(content_hash="ab" * 32, kind="orders", path="All_Orders.txt")
    keys = {}
    for code in ("commit-a", "commit-b"):
        monkeypatch.setattr(assets, "code_fingerprint", lambda code=code: code)
        keys[code] = (store.database_key([src]), store.key(src))
    assert keys["commit-a"][0] != keys["commit-b"][0]   # the folder entry
    assert keys["commit-a"][1] != keys["commit-b"][1]   # the file entry


def test_portfolio_account_fingerprint_follows_the_code(tmp_path, monkeypatch):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "All_Orders.txt").write_text("order-id\n")
    account = Account(name="acme", folder=str(folder))
    prints = []
    for code in ("commit-a", "commit-b", "commit-a"):
        monkeypatch.setattr(assets, "code_fingerprint", lambda code=code: code)
        prints.append(fingerprint.account_fingerprint(account)[0])
    assert prints[0] != prints[1]
    assert prints[0] == prints[2]


def test_the_real_fingerprint_is_more_than_the_version():
    import hashlib

    from sellerdx.version import __version__

    assert assets.code_fingerprint() != hashlib.sha256(__version__.encode()).hexdigest()
    assert len(assets.code_fingerprint()) == 64
