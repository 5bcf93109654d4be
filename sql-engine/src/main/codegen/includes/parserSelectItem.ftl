<#--
  ShaleDB's select item, replacing Calcite's AddSelectItem (the build renames Calcite's
  production to CalciteAddSelectItem, see sql-engine/pom.xml).

  PostgreSQL's grammar takes any keyword as a column label after AS (ColLabel: SELECT 1 AS from,
  2 AS order, 3 AS user, 4 AS current_date), while an alias without AS must be an unreserved word
  (BareColLabel), so that SELECT a FROM t still means what it says. Calcite's production reads
  the alias as a SimpleIdentifier in both places, which refuses reserved words. This one is
  Calcite's with the AS branch split off and widened to every keyword token.
-->

/**
 * Parses one item in a select list: an expression with an optional alias.
 */
void AddSelectItem(List<SqlNode> list) :
{
    SqlNode e;
    final SqlIdentifier id;
}
{
    e = SelectExpression()
    (
        <AS>
        [
            <MEASURE> {
                e = SqlInternalOperators.MEASURE.createCall(e.getParserPosition(), e);
            }
        ]
        (
            LOOKAHEAD({ shaleIsKeyword(getToken(1)) })
            id = ShaleKeywordAsAlias()
        |
            id = SimpleIdentifier()
        |
            // Mute the warning about ambiguity between alias and continued
            // string literal.
            LOOKAHEAD(1)
            id = SimpleIdentifierFromStringLiteral()
        )
        { list.add(SqlStdOperatorTable.AS.createCall(span().end(e), e, id)); }
    |
        (
            id = SimpleIdentifier()
        |
            LOOKAHEAD(1)
            id = SimpleIdentifierFromStringLiteral()
        )
        { list.add(SqlStdOperatorTable.AS.createCall(span().end(e), e, id)); }
    |
        { list.add(e); }
    )
}

/**
 * Whether {@code token} is a keyword, reserved or not. JavaCC names a keyword token by its
 * quoted spelling ("FROM"); identifiers, literals and punctuation have other images
 * ({@code <IDENTIFIER>}, {@code ","}).
 */
JAVACODE boolean shaleIsKeyword(Token token)
{
    final String image = tokenImage[token.kind];
    return image.length() > 2
        && image.charAt(0) == '"'
        && image.charAt(image.length() - 1) == '"'
        && image.substring(1, image.length() - 1).matches("[A-Z][A-Z0-9_]*");
}

/**
 * Consumes one keyword token and makes it an identifier, cased like any unquoted word. Only
 * called after {@link #shaleIsKeyword} has accepted the next token.
 */
JAVACODE SqlIdentifier ShaleKeywordAsAlias()
{
    getNextToken();
    return new SqlIdentifier(unquotedIdentifier(), getPos());
}
