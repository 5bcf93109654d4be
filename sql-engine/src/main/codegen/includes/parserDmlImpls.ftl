<#--
  ShaleDB's additions to data statements, spliced into Calcite's Parser.jj through config.fmpp:
  INSERT / UPDATE / DELETE ... RETURNING (PostgreSQL's) and SELECT ... FOR UPDATE / FOR SHARE.
  Kept apart from the DDL includes so that changes to either merge independently. The SqlNode
  classes live in io.shaledb.sql.parser.dml.
-->

/**
 * INSERT, UPDATE or DELETE, optionally followed by RETURNING and a select list, or by ShaleDB's
 * RETURNING GENERATED KEY, which returns the columns JDBC's getGeneratedKeys() reports (the driver
 * sends it for Statement.RETURN_GENERATED_KEYS). Calcite's DELETE takes a non-reserved word after
 * the table name as its alias, so DELETE FROM t RETURNING x arrives here as a DELETE whose alias is
 * "returning"; that alias is taken back as the keyword.
 */
SqlNode ShaleDmlStatement() :
{
    SqlNode dml;
    SqlNodeList items = null;
    boolean generatedKeys = false;
    final Span s;
}
{
    { s = span(); }
    (
        dml = SqlInsert()
    |
        dml = SqlUpdate()
    |
        dml = SqlDelete()
        [
            // Only a select list can follow a DELETE whose alias was RETURNING.
            LOOKAHEAD({ getToken(0).image.equalsIgnoreCase("returning")
                && getToken(1).kind != EOF && getToken(1).kind != SEMICOLON })
            items = ShaleReturningItems() {
                if (!ShaleReturning.hasReturningAlias(dml)) {
                    throw SqlUtil.newContextException(items.getParserPosition(),
                        RESOURCE.illegalNonQueryExpression());
                }
                dml = ShaleReturning.withoutAlias(dml);
            }
        ]
    )
    [
        <RETURNING>
        (
            LOOKAHEAD(2) <GENERATED> <KEY> { generatedKeys = true; }
        |
            items = ShaleReturningItems()
        )
    ]
    {
        if (items == null && !generatedKeys) {
            return dml;
        }
        return new ShaleReturning(s.end(this), dml, items);
    }
}

SqlNodeList ShaleReturningItems() :
{
    final List<SqlNode> items = new ArrayList<SqlNode>();
}
{
    AddSelectItem(items) ( <COMMA> AddSelectItem(items) )*
    { return new SqlNodeList(items, Span.of(items).pos()); }
}

/**
 * A query followed by a locking clause: FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE or FOR KEY SHARE,
 * optionally OF tables, then optionally NOWAIT or SKIP LOCKED (PostgreSQL's words). Only queries that start with SELECT
 * come here (the semantic lookahead), so VALUES, WITH and parenthesized queries keep Calcite's path.
 * A query without a locking clause is returned as it is.
 */
SqlNode ShaleLockingQuery() :
{
    final SqlNode query;
    ShaleLockingQuery.Strength strength = null;
    ShaleLockingQuery.Wait wait = ShaleLockingQuery.Wait.DEFAULT;
    SqlIdentifier word;
    final List<SqlIdentifier> of = new ArrayList<SqlIdentifier>();
    final Span s;
}
{
    LOOKAHEAD({ getToken(1).kind == SELECT })
    { s = span(); }
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    [
        LOOKAHEAD(1)
        <FOR>
        (
            <UPDATE> { strength = ShaleLockingQuery.Strength.UPDATE; }
        |
            <NO> <KEY> <UPDATE> { strength = ShaleLockingQuery.Strength.UPDATE; }
        |
            LOOKAHEAD(2)
            <KEY> word = SimpleIdentifier() { strength = ShaleLockingQuery.Strength.share(word); }
        |
            word = SimpleIdentifier() { strength = ShaleLockingQuery.Strength.share(word); }
        )
        [
            <OF> word = CompoundIdentifier() { of.add(word); }
            ( <COMMA> word = CompoundIdentifier() { of.add(word); } )*
        ]
        [
            <SKIP_> word = SimpleIdentifier() { wait = ShaleLockingQuery.Wait.skipLocked(word); }
        |
            word = SimpleIdentifier() { wait = ShaleLockingQuery.Wait.noWait(word); }
        ]
    ]
    {
        if (strength == null) {
            return query;
        }
        return new ShaleLockingQuery(s.end(this), query, strength, of, wait);
    }
}
