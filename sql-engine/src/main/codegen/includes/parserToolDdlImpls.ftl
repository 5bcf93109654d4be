<#--
  The DDL that ORMs and migration tools emit beyond CREATE TABLE: ALTER TABLE ... ADD / DROP
  CONSTRAINT and ALTER COLUMN, and the CASCADE | RESTRICT of DROP TABLE and DROP VIEW. The
  productions are called from ShaleAlterTableStatement (parserSchemaChangeImpls.ftl) and the DROP
  productions; the SqlNode classes live in io.shaledb.sql.parser.ddl.
-->

/** Parses [CASCADE | RESTRICT]: true for CASCADE; RESTRICT, the default, is false. */
boolean ShaleDropBehaviorOpt() :
{
}
{
    <CASCADE> { return true; }
|
    <RESTRICT> { return false; }
|
    { return false; }
}

/** Parses the rest of ALTER TABLE name ADD after ADD: [CONSTRAINT name] table-constraint. */
SqlNode ShaleAddConstraintAction(Span s, SqlIdentifier table, boolean tableIfExists) :
{
    SqlIdentifier constraintName = null;
    Span c = null;
    final ShaleConstraint constraint;
}
{
    [
        <CONSTRAINT> { c = span(); } constraintName = SimpleIdentifier()
    ]
    constraint = ShaleTableConstraint(c, constraintName) {
        return ShaleAlterConstraint.add(s.end(this), table, tableIfExists, constraint);
    }
}

/** Parses the rest of ALTER TABLE name DROP after DROP: CONSTRAINT [IF EXISTS] name [CASCADE | RESTRICT]. */
SqlNode ShaleDropConstraintAction(Span s, SqlIdentifier table, boolean tableIfExists) :
{
    final boolean ifExists;
    final SqlIdentifier constraintName;
    final boolean cascade;
}
{
    <CONSTRAINT> ifExists = ShaleIfExistsOpt() constraintName = SimpleIdentifier()
    cascade = ShaleDropBehaviorOpt() {
        return ShaleAlterConstraint.drop(s.end(this), table, tableIfExists, constraintName,
            ifExists, cascade);
    }
}

/**
 * Parses ALTER [COLUMN] column followed by SET DEFAULT expression | DROP DEFAULT | SET NOT NULL
 * | DROP NOT NULL | [SET DATA] TYPE type.
 */
SqlNode ShaleAlterColumnAction(Span s, SqlIdentifier table, boolean tableIfExists) :
{
    final SqlIdentifier column;
    final SqlNode defaultValue;
    final SqlDataTypeSpec type;
}
{
    <ALTER> [ <COLUMN> ] column = SimpleIdentifier()
    (
        <SET>
        (
            <DEFAULT_> defaultValue = Expression(ExprContext.ACCEPT_NON_QUERY) {
                return new ShaleAlterColumn(s.end(this), table, tableIfExists, column,
                    ShaleAlterColumn.Action.SET_DEFAULT, defaultValue, null);
            }
        |
            <NOT> <NULL> {
                return new ShaleAlterColumn(s.end(this), table, tableIfExists, column,
                    ShaleAlterColumn.Action.SET_NOT_NULL, null, null);
            }
        |
            <DATA> <TYPE> type = DataType() {
                return new ShaleAlterColumn(s.end(this), table, tableIfExists, column,
                    ShaleAlterColumn.Action.SET_TYPE, null, type);
            }
        )
    |
        <DROP>
        (
            <DEFAULT_> {
                return new ShaleAlterColumn(s.end(this), table, tableIfExists, column,
                    ShaleAlterColumn.Action.DROP_DEFAULT, null, null);
            }
        |
            <NOT> <NULL> {
                return new ShaleAlterColumn(s.end(this), table, tableIfExists, column,
                    ShaleAlterColumn.Action.DROP_NOT_NULL, null, null);
            }
        )
    |
        <TYPE> type = DataType() {
            return new ShaleAlterColumn(s.end(this), table, tableIfExists, column,
                ShaleAlterColumn.Action.SET_TYPE, null, type);
        }
    )
}

/**
 * Type names other databases use that are reserved words in Calcite: CLOB, a character string
 * without a declared maximum length (TEXT); DATETIME (MySQL's TIMESTAMP); and BLOB, which ShaleDB
 * refuses with a clear error when a column is declared with it.
 */
SqlTypeNameSpec ShaleLargeObjectTypeName() :
{
}
{
    <CLOB> {
        return new SqlAlienSystemTypeNameSpec("CLOB", SqlTypeName.VARCHAR, getPos());
    }
|
    <DATETIME> {
        return new SqlAlienSystemTypeNameSpec("DATETIME", SqlTypeName.TIMESTAMP, getPos());
    }
|
    <BLOB> {
        return new SqlAlienSystemTypeNameSpec("BLOB", SqlTypeName.VARBINARY, getPos());
    }
}

/**
 * Parses the rest of CREATE SEQUENCE after CREATE: SEQUENCE [IF NOT EXISTS] name [AS type]
 * followed by START [WITH] n, INCREMENT [BY] n, MINVALUE n | NO MINVALUE, MAXVALUE n | NO MAXVALUE,
 * CACHE n, [NO] CYCLE in any order (PostgreSQL's grammar).
 */
SqlCreate ShaleCreateSequenceStatement(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    String dataType = null;
    Long start = null;
    Long increment = null;
    Long minValue = null;
    Long maxValue = null;
    Long cache = null;
    boolean cycle = false;
}
{
    <SEQUENCE> {
        if (replace) {
            throw shaleSyntaxError(s.pos(), "CREATE OR REPLACE is not supported for sequences");
        }
    }
    ifNotExists = ShaleIfNotExistsOpt()
    name = CompoundIdentifier()
    [
        <AS> (
            <BIGINT> { dataType = "BIGINT"; }
        |   ( <INTEGER> | <INT> ) { dataType = "INTEGER"; }
        |   <SMALLINT> { dataType = "SMALLINT"; }
        )
    ]
    (
        <START> [ <WITH> ] { start = ShaleSignedLong(); }
    |   <INCREMENT> [ <BY> ] { increment = ShaleSignedLong(); }
    |   <MINVALUE> { minValue = ShaleSignedLong(); }
    |   <MAXVALUE> { maxValue = ShaleSignedLong(); }
    |   <CACHE> { cache = ShaleSignedLong(); }
    |   <CYCLE> { cycle = true; }
    |   <NO> ( <MINVALUE> { minValue = null; } | <MAXVALUE> { maxValue = null; } | <CYCLE> { cycle = false; } )
    )*
    {
        return new ShaleCreateSequence(s.end(this), ifNotExists, name, dataType, start, increment, minValue,
            maxValue, cache, cycle);
    }
}

/** Parses an optionally signed integer literal that fits a BIGINT. */
Long ShaleSignedLong() :
{
    boolean negative = false;
}
{
    [ <MINUS> { negative = true; } | <PLUS> ]
    <UNSIGNED_INTEGER_LITERAL> {
        try {
            return Long.valueOf((negative ? "-" : "") + token.image);
        } catch (NumberFormatException e) {
            throw shaleSyntaxError(getPos(), "the number " + (negative ? "-" : "") + token.image
                + " does not fit a BIGINT");
        }
    }
}

/** Parses the rest of DROP SEQUENCE [IF EXISTS] name after DROP. */
SqlDrop ShaleDropSequenceStatement(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <SEQUENCE> ifExists = ShaleIfExistsOpt() name = CompoundIdentifier() {
        return new ShaleDropSequence(s.end(this), ifExists, name);
    }
}
