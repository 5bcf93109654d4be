<#--
  ShaleDB's backup statements, spliced into Calcite's Parser.jj through config.fmpp:

    BACKUP DATABASE TO 'path' [AS OF 'instant'] [INCREMENTAL FROM 'previous'] [WITH USERS]
    RESTORE DATABASE FROM 'path' [AS OF 'instant']
    RESTORE TABLE name FROM 'path' [AS OF 'instant'] [AS new_name]

  The node is io.shaledb.sql.parser.ddl.ShaleBackupStatement; io.shaledb.sql.backup does the work.
-->

/** Parses BACKUP DATABASE ... */
SqlNode ShaleBackupStatement() :
{
    final Span s;
    final String path;
    String asOf = null;
    String previous = null;
    boolean users = false;
}
{
    <BACKUP> { s = span(); } <DATABASE> <TO> path = SimpleStringLiteral()
    [ <AS> <OF> asOf = SimpleStringLiteral() ]
    [ <INCREMENTAL> <FROM> previous = SimpleStringLiteral() ]
    [ <WITH> <USERS> { users = true; } ]
    {
        return new ShaleBackupStatement(s.end(this), ShaleBackupStatement.Kind.BACKUP_DATABASE, path, asOf, previous,
            users, null, null);
    }
}

/** Parses RESTORE DATABASE ... and RESTORE TABLE ... */
SqlNode ShaleRestoreStatement() :
{
    final Span s;
    SqlIdentifier table = null;
    SqlIdentifier newName = null;
    final String path;
    String asOf = null;
}
{
    <RESTORE> { s = span(); }
    ( <DATABASE> | <TABLE> table = CompoundIdentifier() )
    <FROM> path = SimpleStringLiteral()
    [ LOOKAHEAD(2) <AS> <OF> asOf = SimpleStringLiteral() ]
    [ <AS> {
            if (table == null) {
                throw shaleSyntaxError(s.end(this), "RESTORE DATABASE cannot rename; AS new_name is for RESTORE TABLE");
            }
        }
        newName = SimpleIdentifier()
    ]
    {
        return new ShaleBackupStatement(s.end(this), table == null ? ShaleBackupStatement.Kind.RESTORE_DATABASE
            : ShaleBackupStatement.Kind.RESTORE_TABLE, path, asOf, null, false, table, newName);
    }
}
