"""ShaleDB through Python's phoenixdb (and SQLAlchemy's inspector, where installed).

Usage: phoenixdb_client.py URL README
  URL     the server's protobuf endpoint, e.g. http://127.0.0.1:8765/ (user admin, password secret-pw)
  README  the repository's README.md: its phoenixdb example is run as written, on URL

Exits 0 and prints "all checks passed", 3 when phoenixdb is not installed, 1 on a failed check.
"""
import re
import sys

try:
    import phoenixdb
except ImportError:
    print("phoenixdb is not installed")
    sys.exit(3)

PASSWORD = "secret-pw"


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def readme_example(url, readme_path):
    """Runs the README's phoenixdb example as written, only pointed at this server's URL."""
    with open(readme_path, encoding="utf-8") as f:
        readme = f.read()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    example = next((b for b in blocks if "phoenixdb.connect" in b), None)
    check(example is not None, "README.md has no phoenixdb example")
    check("http://localhost:8765/" in example, "the README example no longer connects to http://localhost:8765/")
    exec(compile(example.replace("http://localhost:8765/", url), "README.md", "exec"), {})


def metadata(url):
    conn = phoenixdb.connect(url, authentication="BASIC", avatica_user="admin", avatica_password=PASSWORD,
                             autocommit=True)
    cur = conn.cursor()
    cur.execute("CREATE TABLE py_orders (order_id INT, line INT, qty INT, PRIMARY KEY (order_id, line))")
    cur.execute("CREATE INDEX py_orders_by_qty ON py_orders (qty)")
    meta = conn.meta()
    keys = meta.get_primary_keys(schema="public", table="py_orders")
    check([(k["COLUMN_NAME"], k["KEY_SEQ"]) for k in sorted(keys, key=lambda k: k["KEY_SEQ"])]
          == [("order_id", 1), ("line", 2)], "primary keys: %r" % keys)
    indexes = meta.get_index_info(schema="public", table="py_orders")
    names = {row["INDEX_NAME"] for row in indexes}
    check({"py_orders_pkey", "py_orders_by_qty"} <= names, "index info: %r" % indexes)
    tables = [t["TABLE_NAME"] for t in meta.get_tables(schemaPattern="public")]
    check("py_orders" in tables, "tables: %r" % tables)
    conn.close()

    try:
        import sqlalchemy
    except ImportError:
        print("SQLAlchemy is not installed: skipped the inspector checks")
        return
    host_port = url.split("//", 1)[1].rstrip("/")
    engine = sqlalchemy.create_engine("phoenix://" + host_port, connect_args={
        "authentication": "BASIC", "avatica_user": "admin", "avatica_password": PASSWORD, "autocommit": True})
    inspector = sqlalchemy.inspect(engine)
    check("py_orders" in inspector.get_table_names(schema="public"), "inspector tables")
    pk = inspector.get_pk_constraint("py_orders", schema="public")
    check(pk["constrained_columns"] == ["order_id", "line"], "inspector primary key: %r" % pk)
    check("py_orders_by_qty" in [i["name"] for i in inspector.get_indexes("py_orders", schema="public")],
          "inspector indexes")


def main():
    url, readme_path = sys.argv[1], sys.argv[2]
    readme_example(url, readme_path)
    metadata(url)
    print("all checks passed")


if __name__ == "__main__":
    main()
