<#--
  ShaleDB's schema-change statements, spliced into Calcite's Parser.jj through config.fmpp:
  ALTER TABLE (ADD / DROP / RENAME COLUMN, RENAME TO), CREATE [OR REPLACE] VIEW, DROP VIEW and
  TRUNCATE [TABLE]. Kept apart from parserImpls.ftl so that CREATE TABLE and the index statements
  evolve independently. The SqlNode classes live in io.shaledb.sql.parser.ddl.
-->

/**
 * Parses ALTER TABLE [IF EXISTS] name followed by one action. A statement-level method (with two tokens of
 * lookahead, ALTER TABLE) because Calcite's own ALTER only knows ALTER SYSTEM / SESSION.
 */
SqlNode ShaleAlterTableStatement() :
{
    final Span s;
    final SqlIdentifier name;
    final SqlIdentifier column;
    final SqlIdentifier newName;
    final boolean ifFlag;
    final SqlNode declaration;
    final boolean tableIfExists;
    final SqlNode change;
}
{
    <ALTER> { s = span(); } <TABLE> tableIfExists = ShaleIfExistsOpt() name = CompoundIdentifier()
    (
        <ADD>
        (
            change = ShaleAddConstraintAction(s, name, tableIfExists) { return change; }
        |
            [ <COLUMN> ] ifFlag = ShaleIfNotExistsOpt() declaration = ShaleColumnDeclaration() {
                return new ShaleAlterTable(s.end(this), name, tableIfExists,
                    ShaleAlterTable.Action.ADD_COLUMN, ifFlag, (ShaleColumnDeclaration) declaration,
                    null, null);
            }
        )
    |
        <DROP>
        (
            change = ShaleDropConstraintAction(s, name, tableIfExists) { return change; }
        |
            [ <COLUMN> ] ifFlag = ShaleIfExistsOpt() column = SimpleIdentifier() {
                return new ShaleAlterTable(s.end(this), name, tableIfExists,
                    ShaleAlterTable.Action.DROP_COLUMN, ifFlag, null, column, null);
            }
        )
    |
        change = ShaleAlterColumnAction(s, name, tableIfExists) { return change; }
    |
        <RENAME>
        (
            <TO> newName = CompoundIdentifier() {
                return new ShaleAlterTable(s.end(this), name, tableIfExists,
                    ShaleAlterTable.Action.RENAME_TABLE, false, null, null, newName);
            }
        |
            [ <COLUMN> ] column = SimpleIdentifier() <TO> newName = SimpleIdentifier() {
                return new ShaleAlterTable(s.end(this), name, tableIfExists,
                    ShaleAlterTable.Action.RENAME_COLUMN, false, null, column, newName);
            }
        )
    )
}

/** Parses the rest of CREATE [OR REPLACE] VIEW after CREATE [OR REPLACE]. */
SqlCreate ShaleCreateViewStatement(Span s, boolean replace) :
{
    final SqlIdentifier name;
    SqlNodeList columnList = null;
    final SqlNode query;
}
{
    <VIEW> name = CompoundIdentifier()
    [ columnList = ParenthesizedSimpleIdentifierList() ]
    <AS> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) {
        return new ShaleCreateView(s.end(this), replace, name, columnList, query);
    }
}

/** Parses the rest of DROP VIEW [IF EXISTS] name [CASCADE | RESTRICT] after DROP. */
SqlDrop ShaleDropViewStatement(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
    final boolean cascade;
}
{
    <VIEW> ifExists = ShaleIfExistsOpt() name = CompoundIdentifier()
    cascade = ShaleDropBehaviorOpt() {
        return new ShaleDropView(s.end(this), ifExists, name, cascade);
    }
}

/** Parses the rest of TRUNCATE [TABLE] name after TRUNCATE. */
SqlTruncate ShaleTruncateTableStatement(Span s) :
{
    final SqlIdentifier name;
}
{
    [ <TABLE> ] name = CompoundIdentifier() {
        return new ShaleTruncateTable(s.end(this), name);
    }
}
