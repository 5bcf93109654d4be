"""Talks to a ShaleDB server's Avatica JSON endpoint with only the Python standard library.

Usage: python3 avatica_json_client.py http://127.0.0.1:PORT/

Creates tables, inserts rows with parameters in a transaction, commits, queries a join through
prepare/execute/fetch, checks the parameter types the server reports, and checks that an error
arrives with its SQLSTATE. Exits 0 when every check passes; prints what failed otherwise.
"""

import base64
import json
import os
import sys
import urllib.error
import urllib.request
import uuid


class AvaticaError(Exception):
    def __init__(self, response):
        super().__init__(response.get("errorMessage"))
        self.sql_state = response.get("sqlState")
        self.error_code = response.get("errorCode")


class Client:
    def __init__(self, url, user=None, password=None):
        self.url = url
        self.headers = {"Content-Type": "application/json"}
        if user is not None:
            # HTTP BASIC, as the server requires; phoenixdb sends the same with avatica_user/avatica_password.
            token = base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode("ascii")
            self.headers["Authorization"] = "Basic " + token

    def call(self, request, **fields):
        body = dict(fields, request=request)
        data = json.dumps(body).encode("utf-8")
        http = urllib.request.Request(self.url, data=data, method="POST",
                                      headers=self.headers)
        try:
            with urllib.request.urlopen(http, timeout=60) as reply:
                response = json.loads(reply.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            # Avatica answers errors with HTTP 500 and an ErrorResponse body.
            response = json.loads(e.read().decode("utf-8"))
        if response.get("response") == "error":
            raise AvaticaError(response)
        return response


class Connection:
    def __init__(self, client):
        self.client = client
        self.id = str(uuid.uuid4())
        client.call("openConnection", connectionId=self.id, info={})

    def set_auto_commit(self, auto_commit):
        self.client.call("connectionSync", connectionId=self.id,
                         connProps={"connProps": "connPropsImpl", "autoCommit": auto_commit,
                                    "dirty": True})

    def execute(self, sql):
        statement = self.client.call("createStatement", connectionId=self.id)["statementId"]
        try:
            reply = self.client.call("prepareAndExecute", connectionId=self.id, statementId=statement,
                                     sql=sql, maxRowCount=-1)
            return reply["results"][0]
        finally:
            self.client.call("closeStatement", connectionId=self.id, statementId=statement)

    def prepare(self, sql):
        return self.client.call("prepare", connectionId=self.id, sql=sql, maxRowCount=-1)["statement"]

    def execute_prepared(self, handle, values, frame_rows=2):
        """Runs a prepared statement and fetches every row, a few per frame."""
        parameters = [typed(v) for v in values]
        reply = self.client.call("execute", statementHandle=handle, parameterValues=parameters,
                                 maxRowCount=frame_rows)
        result = reply["results"][0]
        if result.get("updateCount", -1) != -1:
            return result["updateCount"]
        frame = result["firstFrame"]
        rows = list(frame["rows"])
        frames = 1
        while not frame["done"]:
            frame = self.client.call("fetch", connectionId=self.id, statementId=handle["id"],
                                     offset=len(rows), fetchMaxRowCount=frame_rows)["frame"]
            rows.extend(frame["rows"])
            frames += 1
        return rows, frames

    def commit(self):
        self.client.call("commit", connectionId=self.id)

    def close(self):
        self.client.call("closeConnection", connectionId=self.id)


def typed(value):
    if isinstance(value, bool):
        return {"type": "BOOLEAN", "value": value}
    if isinstance(value, int):
        return {"type": "LONG", "value": value}
    if isinstance(value, float):
        return {"type": "DOUBLE", "value": value}
    if value is None:
        return {"type": "NULL"}
    return {"type": "STRING", "value": value}


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main(url):
    # Credentials come from the environment, not the command line, so they do not show in process lists.
    client = Client(url, os.environ.get("SHALEDB_USER"), os.environ.get("SHALEDB_PASSWORD"))
    writer = Connection(client)
    writer.execute("CREATE TABLE py_customer (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)")
    writer.execute("CREATE TABLE py_order (id INT PRIMARY KEY, customer INT NOT NULL, amount DOUBLE)")

    writer.set_auto_commit(False)
    insert_customer = writer.prepare("INSERT INTO py_customer VALUES (?, ?)")
    insert_order = writer.prepare("INSERT INTO py_order VALUES (?, ?, ?)")
    for customer_id, name in [(1, "ada"), (2, "grace"), (3, "edsger")]:
        check(writer.execute_prepared(insert_customer, [customer_id, name]) == 1, "insert customer")
    for order_id, customer_id, amount in [(10, 1, 9.5), (11, 1, 20.0), (12, 2, 7.25), (13, 3, 1.0)]:
        check(writer.execute_prepared(insert_order, [order_id, customer_id, amount]) == 1, "insert order")

    # Not visible to another connection before commit, visible after.
    reader = Connection(client)
    before = reader.execute("SELECT COUNT(*) FROM py_order")["firstFrame"]["rows"]
    check(before == [[0]], "uncommitted rows visible: %r" % (before,))
    writer.commit()
    after = reader.execute("SELECT COUNT(*) FROM py_order")["firstFrame"]["rows"]
    check(after == [[4]], "committed rows missing: %r" % (after,))

    # A join with parameters inside an expression: both must be reported as numbers.
    query = reader.prepare("SELECT c.name, o.amount FROM py_customer c JOIN py_order o ON o.customer = c.id "
                           "WHERE o.amount * ? > ? ORDER BY o.id")
    parameter_types = [p["parameterType"] for p in query["signature"]["parameters"]]
    numeric = {-6, -5, 2, 3, 4, 5, 6, 7, 8}
    check(all(t in numeric for t in parameter_types), "parameter types not numeric: %r" % parameter_types)
    column_types = [c["type"]["id"] for c in query["signature"]["columns"]]
    check(0 not in column_types, "a result column is typed NULL: %r" % column_types)
    rows, frames = reader.execute_prepared(query, [2, 15])
    check(rows == [["ada", 9.5], ["ada", 20.0]], "join rows: %r" % rows)
    check(frames == 1 or len(rows) <= 2 * frames, "frames: %d" % frames)

    rows, frames = reader.execute_prepared(reader.prepare("SELECT id FROM py_order ORDER BY id"), [], frame_rows=1)
    check([r[0] for r in rows] == [10, 11, 12, 13], "all rows over several fetches: %r" % rows)
    check(frames >= 3, "expected several frames, got %d" % frames)

    # Errors keep their SQLSTATE.
    try:
        writer.execute_prepared(insert_customer, [1, "again"])
        raise AssertionError("duplicate key accepted")
    except AvaticaError as e:
        check(e.sql_state == "23505", "duplicate key SQLSTATE %r" % e.sql_state)
    try:
        reader.execute("SELEC 1")
        raise AssertionError("syntax error accepted")
    except AvaticaError as e:
        check(e.sql_state == "42601", "syntax error SQLSTATE %r" % e.sql_state)

    reader.close()
    writer.close()
    print("avatica json client: all checks passed")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except (AssertionError, AvaticaError) as failure:
        print("FAILED: %s" % failure)
        sys.exit(1)
