<#--
  ShaleDB's productions, spliced into Calcite's Parser.jj through config.fmpp.

  They add CREATE TABLE (MySQL flavour: AUTO_INCREMENT, inline and table-level constraints,
  SHARDS n), DROP TABLE, CREATE [UNIQUE] INDEX, DROP INDEX, the transaction statements and the
  TEXT type. The SqlNode classes they build live in io.shaledb.sql.parser.ddl; their javadoc
  states what each accessor means.

  Conflicting or repeated declarations inside one column (NULL with NOT NULL, two DEFAULTs, ...)
  are reported here, with the position of the offending option, as syntax errors, the way
  PostgreSQL reports them; everything that needs the catalog (unknown columns in a key, two
  primary keys, type checks) is the DDL executor's job.
-->

/**
 * Builds the exception the parser reports for a statement that is well-formed token by token
 * but contradicts itself. The generated parser turns it into a SqlParseException at {@code pos}.
 */
JAVACODE CalciteContextException shaleSyntaxError(SqlParserPos pos, String message)
{
    return new CalciteContextException(message, new ParseException(message),
        pos.getLineNum(), pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum());
}

/**
 * Parses IF NOT EXISTS. Three tokens of lookahead, so a table called "if" still parses
 * (IF is a non-reserved keyword).
 */
boolean ShaleIfNotExistsOpt() :
{
}
{
    LOOKAHEAD(3) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses IF EXISTS, leaving a table called "if" alone. */
boolean ShaleIfExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

/** MySQL's TEXT: a character string without a declared maximum length (VARCHAR). */
SqlTypeNameSpec ShaleTextTypeName() :
{
}
{
    <TEXT> {
        return new SqlAlienSystemTypeNameSpec("TEXT", SqlTypeName.VARCHAR, getPos());
    }
}

/**
 * Parses PostgreSQL's SET TIME ZONE value, which client libraries send on connecting, into the
 * same node as SET timezone = value (Calcite's SET only takes name = value).
 */
SqlNode ShaleSetTimeZoneStatement() :
{
    final Span s;
    final SqlNode value;
}
{
    <SET> { s = span(); } <TIME> <ZONE>
    (
        value = StringLiteral()
    |
        <LOCAL> { value = new SqlIdentifier("LOCAL", getPos()); }
    |
        <DEFAULT_> { value = new SqlIdentifier("DEFAULT", getPos()); }
    )
    {
        return new SqlSetOption(s.end(this), null, new SqlIdentifier("timezone", s.pos()), value);
    }
}

/**
 * Parses START TRANSACTION, BEGIN [WORK | TRANSACTION], COMMIT [WORK] and ROLLBACK [WORK].
 */
SqlNode ShaleTransactionStatement() :
{
    final Span s;
}
{
    (
        <START> { s = span(); } <TRANSACTION> {
            return new ShaleTransactionControl(s.end(this), ShaleTransactionControl.Kind.BEGIN);
        }
    |
        <BEGIN> { s = span(); } [ <WORK> | <TRANSACTION> ] {
            return new ShaleTransactionControl(s.end(this), ShaleTransactionControl.Kind.BEGIN);
        }
    |
        <COMMIT> { s = span(); } [ <WORK> ] {
            return new ShaleTransactionControl(s.end(this), ShaleTransactionControl.Kind.COMMIT);
        }
    |
        <ROLLBACK> { s = span(); } [ <WORK> ] {
            return new ShaleTransactionControl(s.end(this), ShaleTransactionControl.Kind.ROLLBACK);
        }
    )
}

/** Parses ANALYZE [table]. */
SqlNode ShaleAnalyzeStatement() :
{
    final Span s;
    SqlIdentifier table = null;
}
{
    <ANALYZE> { s = span(); } [ table = CompoundIdentifier() ] {
        return new ShaleAnalyze(s.end(this), table);
    }
}

/**
 * Parses the rest of CREATE [OR REPLACE] TABLE after CREATE:
 * TABLE [IF NOT EXISTS] name ( element [, element]* ) [SHARDS n].
 */
SqlCreate ShaleCreateTableStatement(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final Span elementsSpan;
    final List<SqlNode> columns = new ArrayList<SqlNode>();
    final List<SqlNode> constraints = new ArrayList<SqlNode>();
    Integer shardCount = null;
}
{
    <TABLE> {
        if (replace) {
            throw shaleSyntaxError(s.end(this),
                "CREATE OR REPLACE TABLE is not supported; use DROP TABLE IF EXISTS, then CREATE TABLE");
        }
    }
    ifNotExists = ShaleIfNotExistsOpt()
    name = CompoundIdentifier()
    <LPAREN> { elementsSpan = span(); }
    ShaleTableElement(columns, constraints)
    (
        <COMMA> ShaleTableElement(columns, constraints)
    )*
    <RPAREN>
    [
        <SHARDS> shardCount = ShaleShardCount()
    ]
    {
        return new ShaleCreateTable(s.end(this), ifNotExists, name,
            new SqlNodeList(columns, elementsSpan.end(this)),
            new SqlNodeList(constraints, elementsSpan.end(this)),
            shardCount);
    }
}

/** Parses the n of SHARDS n: a positive int. */
Integer ShaleShardCount() :
{
    final int count;
}
{
    count = UnsignedIntLiteral() {
        if (count < 1) {
            throw shaleSyntaxError(getPos(), "SHARDS must be at least 1, got " + count);
        }
        return count;
    }
}

/** Parses one column declaration or table constraint and adds it to its list. */
void ShaleTableElement(List<SqlNode> columns, List<SqlNode> constraints) :
{
    final SqlNode column;
    final SqlNode constraint;
    SqlIdentifier constraintName = null;
    Span s = null;
}
{
    column = ShaleColumnDeclaration() { columns.add(column); }
|
    [
        <CONSTRAINT> { s = span(); } constraintName = SimpleIdentifier()
    ]
    constraint = ShaleTableConstraint(s, constraintName) { constraints.add(constraint); }
}

/**
 * Parses "name type option*", where the options may come in any order:
 * NOT NULL | NULL | DEFAULT expression | AUTO_INCREMENT
 * | GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY | [CONSTRAINT name] constraint.
 */
SqlNode ShaleColumnDeclaration() :
{
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    final Span s;
    ShaleColumnDeclaration.Nullability nullability = ShaleColumnDeclaration.Nullability.UNSPECIFIED;
    ShaleColumnDeclaration.Nullability declared;
    SqlNode defaultValue = null;
    SqlNode expression;
    ShaleColumnDeclaration.Generation generation = ShaleColumnDeclaration.Generation.NONE;
    ShaleColumnDeclaration.Generation identity;
    final List<SqlNode> inlineConstraints = new ArrayList<SqlNode>();
    ShaleConstraint constraint;
    Span option;
}
{
    name = SimpleIdentifier() { s = span(); }
    type = DataType()
    (
        (
            <NOT> { option = span(); } <NULL> {
                declared = ShaleColumnDeclaration.Nullability.NOT_NULL;
            }
        |
            <NULL> {
                option = span();
                declared = ShaleColumnDeclaration.Nullability.NULLABLE;
            }
        )
        {
            if (nullability != ShaleColumnDeclaration.Nullability.UNSPECIFIED
                && nullability != declared) {
                throw shaleSyntaxError(option.end(this),
                    "conflicting NULL/NOT NULL declarations for column " + name);
            }
            nullability = declared;
        }
    |
        <DEFAULT_> { option = span(); }
        expression = Expression(ExprContext.ACCEPT_NON_QUERY) {
            if (defaultValue != null) {
                throw shaleSyntaxError(option.end(this),
                    "multiple default values specified for column " + name);
            }
            if (generation != ShaleColumnDeclaration.Generation.NONE) {
                throw shaleSyntaxError(option.end(this),
                    "both default and identity specified for column " + name);
            }
            defaultValue = expression;
        }
    |
        (
            <AUTO_INCREMENT> {
                option = span();
                identity = ShaleColumnDeclaration.Generation.AUTO_INCREMENT;
            }
        |
            <GENERATED> { option = span(); }
            (
                <ALWAYS> { identity = ShaleColumnDeclaration.Generation.ALWAYS_AS_IDENTITY; }
            |
                <BY> <DEFAULT_> { identity = ShaleColumnDeclaration.Generation.BY_DEFAULT_AS_IDENTITY; }
            )
            <AS> <IDENTITY>
        )
        {
            if (generation != ShaleColumnDeclaration.Generation.NONE) {
                throw shaleSyntaxError(option.end(this),
                    "multiple identity specifications for column " + name);
            }
            if (defaultValue != null) {
                throw shaleSyntaxError(option.end(this),
                    "both default and identity specified for column " + name);
            }
            generation = identity;
        }
    |
        constraint = ShaleColumnConstraint(name) { inlineConstraints.add(constraint); }
    )*
    {
        return new ShaleColumnDeclaration(s.end(this), name, type, nullability, defaultValue,
            generation, new SqlNodeList(inlineConstraints, s.end(this)));
    }
}

/**
 * Parses a constraint written inside a column declaration:
 * [CONSTRAINT name] {PRIMARY KEY | UNIQUE | CHECK (condition)
 * | REFERENCES table [(column)] [ON DELETE action]}.
 * The result names {@code column} as its (only) constrained column and is marked inline.
 */
ShaleConstraint ShaleColumnConstraint(SqlIdentifier column) :
{
    SqlIdentifier constraintName = null;
    SqlParserPos start = null;
    final SqlNodeList columns;
    final SqlIdentifier referencedTable;
    SqlNodeList referencedColumns = SqlNodeList.EMPTY;
    final ShaleForeignKeyConstraint.ReferentialAction onDelete;
    final SqlNode condition;
}
{
    [
        <CONSTRAINT> { start = getPos(); } constraintName = SimpleIdentifier()
    ]
    { columns = new SqlNodeList(Collections.singletonList(column), column.getParserPosition()); }
    (
        <PRIMARY> { if (start == null) { start = getPos(); } } <KEY> {
            return new ShalePrimaryKeyConstraint(Span.of(start).end(this), constraintName,
                columns, true);
        }
    |
        <UNIQUE> { if (start == null) { start = getPos(); } } {
            return new ShaleUniqueConstraint(Span.of(start).end(this), constraintName,
                columns, true);
        }
    |
        <CHECK> { if (start == null) { start = getPos(); } }
        <LPAREN> condition = Expression(ExprContext.ACCEPT_NON_QUERY) <RPAREN> {
            return new ShaleCheckConstraint(Span.of(start).end(this), constraintName,
                condition, true);
        }
    |
        <REFERENCES> { if (start == null) { start = getPos(); } }
        referencedTable = CompoundIdentifier()
        [ referencedColumns = ParenthesizedSimpleIdentifierList() ]
        onDelete = ShaleOnDeleteOpt() {
            if (referencedColumns.size() > 1) {
                throw shaleSyntaxError(referencedColumns.getParserPosition(),
                    "column " + column + " references " + referencedColumns.size()
                    + " columns; an inline REFERENCES names at most one");
            }
            return new ShaleForeignKeyConstraint(Span.of(start).end(this), constraintName,
                columns, referencedTable, referencedColumns, onDelete, true);
        }
    )
}

/**
 * Parses a table-level constraint after its optional CONSTRAINT name:
 * PRIMARY KEY (columns) | UNIQUE (columns) | CHECK (condition)
 * | FOREIGN KEY (columns) REFERENCES table [(columns)] [ON DELETE action].
 *
 * @param s span starting at CONSTRAINT, or null if the constraint is unnamed
 */
ShaleConstraint ShaleTableConstraint(Span s, SqlIdentifier constraintName) :
{
    SqlParserPos start = s == null ? null : s.pos();
    final SqlNodeList columns;
    final SqlIdentifier referencedTable;
    SqlNodeList referencedColumns = SqlNodeList.EMPTY;
    final ShaleForeignKeyConstraint.ReferentialAction onDelete;
    final SqlNode condition;
}
{
    (
        <PRIMARY> { if (start == null) { start = getPos(); } } <KEY>
        columns = ParenthesizedSimpleIdentifierList() {
            return new ShalePrimaryKeyConstraint(Span.of(start).end(this), constraintName,
                columns, false);
        }
    |
        <UNIQUE> { if (start == null) { start = getPos(); } }
        columns = ParenthesizedSimpleIdentifierList() {
            return new ShaleUniqueConstraint(Span.of(start).end(this), constraintName,
                columns, false);
        }
    |
        <CHECK> { if (start == null) { start = getPos(); } }
        <LPAREN> condition = Expression(ExprContext.ACCEPT_NON_QUERY) <RPAREN> {
            return new ShaleCheckConstraint(Span.of(start).end(this), constraintName,
                condition, false);
        }
    |
        <FOREIGN> { if (start == null) { start = getPos(); } } <KEY>
        columns = ParenthesizedSimpleIdentifierList()
        <REFERENCES> referencedTable = CompoundIdentifier()
        [ referencedColumns = ParenthesizedSimpleIdentifierList() ]
        onDelete = ShaleOnDeleteOpt() {
            if (referencedColumns.size() != 0 && referencedColumns.size() != columns.size()) {
                throw shaleSyntaxError(referencedColumns.getParserPosition(),
                    "foreign key has " + columns.size() + " columns but references "
                    + referencedColumns.size());
            }
            return new ShaleForeignKeyConstraint(Span.of(start).end(this), constraintName,
                columns, referencedTable, referencedColumns, onDelete, false);
        }
    )
}

/**
 * Parses [ON DELETE {CASCADE | RESTRICT | NO ACTION | SET NULL}]; absent means NO ACTION,
 * the SQL standard's default.
 */
ShaleForeignKeyConstraint.ReferentialAction ShaleOnDeleteOpt() :
{
}
{
    <ON> <DELETE>
    (
        <CASCADE> { return ShaleForeignKeyConstraint.ReferentialAction.CASCADE; }
    |
        <RESTRICT> { return ShaleForeignKeyConstraint.ReferentialAction.RESTRICT; }
    |
        <NO> <ACTION> { return ShaleForeignKeyConstraint.ReferentialAction.NO_ACTION; }
    |
        <SET> <NULL> { return ShaleForeignKeyConstraint.ReferentialAction.SET_NULL; }
    )
|
    { return ShaleForeignKeyConstraint.ReferentialAction.NO_ACTION; }
}

/** Parses the rest of DROP TABLE [IF EXISTS] name [CASCADE | RESTRICT] after DROP. */
SqlDrop ShaleDropTableStatement(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
    final boolean cascade;
}
{
    <TABLE> ifExists = ShaleIfExistsOpt() name = CompoundIdentifier()
    cascade = ShaleDropBehaviorOpt() {
        return new ShaleDropTable(s.end(this), ifExists, name, cascade);
    }
}

/**
 * Parses the rest of CREATE [UNIQUE] INDEX after CREATE:
 * [UNIQUE] INDEX [IF NOT EXISTS] name ON table ( column [ASC | DESC] [, ...] ).
 */
SqlCreate ShaleCreateIndexStatement(Span s, boolean replace) :
{
    boolean unique = false;
    final boolean ifNotExists;
    final SqlIdentifier name;
    final SqlIdentifier table;
    final Span columnsSpan;
    final List<SqlNode> columns = new ArrayList<SqlNode>();
    SqlNode column;
}
{
    [ <UNIQUE> { unique = true; } ]
    <INDEX> {
        if (replace) {
            throw shaleSyntaxError(s.end(this),
                "CREATE OR REPLACE INDEX is not supported; use DROP INDEX IF EXISTS, then CREATE INDEX");
        }
    }
    ifNotExists = ShaleIfNotExistsOpt()
    name = SimpleIdentifier()
    <ON> table = CompoundIdentifier()
    <LPAREN> { columnsSpan = span(); }
    column = ShaleIndexColumn() { columns.add(column); }
    (
        <COMMA> column = ShaleIndexColumn() { columns.add(column); }
    )*
    <RPAREN> {
        return new ShaleCreateIndex(s.end(this), unique, ifNotExists, name, table,
            new SqlNodeList(columns, columnsSpan.end(this)));
    }
}

/** Parses one indexed column: name [ASC | DESC]. */
SqlNode ShaleIndexColumn() :
{
    final SqlIdentifier column;
}
{
    column = SimpleIdentifier()
    (
        <DESC> { return ShaleCreateIndex.descending(column); }
    |
        [ <ASC> ] { return column; }
    )
}

/** Parses the rest of DROP INDEX [IF EXISTS] name after DROP. */
SqlDrop ShaleDropIndexStatement(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <INDEX> ifExists = ShaleIfExistsOpt() name = CompoundIdentifier() {
        return new ShaleDropIndex(s.end(this), ifExists, name);
    }
}
