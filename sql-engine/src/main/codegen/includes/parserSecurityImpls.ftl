<#--
  ShaleDB's user and privilege statements, spliced into Calcite's Parser.jj through config.fmpp:

    CREATE USER name PASSWORD 'secret'
    ALTER USER name PASSWORD 'secret'
    DROP USER [IF EXISTS] name
    GRANT privilege [, privilege]* ON [TABLE] table TO user
    REVOKE privilege [, privilege]* ON [TABLE] table FROM user

  where privilege is SELECT, INSERT, UPDATE, DELETE, REFERENCES, TRUNCATE or ALL [PRIVILEGES]. The nodes live in
  io.shaledb.sql.parser.ddl; who may run them is the engine's business, not the grammar's.
-->

/** Parses the rest of CREATE USER name PASSWORD 'secret' after CREATE. */
SqlCreate ShaleCreateUserStatement(Span s, boolean replace) :
{
    final SqlIdentifier name;
    final String password;
}
{
    <USER> {
        if (replace) {
            throw shaleSyntaxError(s.end(this), "CREATE OR REPLACE USER is not supported; use ALTER USER");
        }
    }
    name = SimpleIdentifier()
    <PASSWORD> password = SimpleStringLiteral() {
        return new ShaleCreateUser(s.end(this), name, password);
    }
}

/** Parses the rest of DROP USER [IF EXISTS] name after DROP. */
SqlDrop ShaleDropUserStatement(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <USER> ifExists = ShaleIfExistsOpt() name = SimpleIdentifier() {
        return new ShaleDropUser(s.end(this), ifExists, name);
    }
}

/** Parses ALTER USER name PASSWORD 'secret'. */
SqlNode ShaleAlterUserStatement() :
{
    final Span s;
    final SqlIdentifier name;
    final String password;
}
{
    <ALTER> { s = span(); } <USER> name = SimpleIdentifier()
    <PASSWORD> password = SimpleStringLiteral() {
        return new ShaleAlterUser(s.end(this), name, password);
    }
}

/** Parses GRANT privileges ON [TABLE] table TO user. */
SqlNode ShaleGrantStatement() :
{
    final Span s;
    final List<ShalePrivilegeStatement.Privilege> privileges;
    final SqlIdentifier table;
    final SqlIdentifier grantee;
}
{
    <GRANT> { s = span(); }
    privileges = ShalePrivilegeList()
    <ON> [ <TABLE> ] table = CompoundIdentifier()
    <TO> grantee = SimpleIdentifier() {
        return new ShalePrivilegeStatement(s.end(this), ShalePrivilegeStatement.Action.GRANT, privileges, table,
            grantee);
    }
}

/** Parses REVOKE privileges ON [TABLE] table FROM user. */
SqlNode ShaleRevokeStatement() :
{
    final Span s;
    final List<ShalePrivilegeStatement.Privilege> privileges;
    final SqlIdentifier table;
    final SqlIdentifier grantee;
}
{
    <REVOKE> { s = span(); }
    privileges = ShalePrivilegeList()
    <ON> [ <TABLE> ] table = CompoundIdentifier()
    <FROM> grantee = SimpleIdentifier() {
        return new ShalePrivilegeStatement(s.end(this), ShalePrivilegeStatement.Action.REVOKE, privileges, table,
            grantee);
    }
}

/**
 * Parses ALL [PRIVILEGES], or a list of SELECT, INSERT, UPDATE, DELETE, REFERENCES and TRUNCATE. ALL stands alone, as in
 * PostgreSQL; a privilege named twice is an error.
 */
List<ShalePrivilegeStatement.Privilege> ShalePrivilegeList() :
{
    final List<ShalePrivilegeStatement.Privilege> privileges = new ArrayList<ShalePrivilegeStatement.Privilege>();
}
{
    (
        <ALL> [ <PRIVILEGES> ] {
            privileges.add(ShalePrivilegeStatement.Privilege.ALL);
        }
    |
        ShalePrivilege(privileges)
        ( <COMMA> ShalePrivilege(privileges) )*
    )
    {
        return privileges;
    }
}

/** Parses one of SELECT, INSERT, UPDATE, DELETE, REFERENCES, TRUNCATE and adds it to {@code privileges}. */
void ShalePrivilege(List<ShalePrivilegeStatement.Privilege> privileges) :
{
    final ShalePrivilegeStatement.Privilege privilege;
}
{
    (
        <SELECT> { privilege = ShalePrivilegeStatement.Privilege.SELECT; }
    |   <INSERT> { privilege = ShalePrivilegeStatement.Privilege.INSERT; }
    |   <UPDATE> { privilege = ShalePrivilegeStatement.Privilege.UPDATE; }
    |   <DELETE> { privilege = ShalePrivilegeStatement.Privilege.DELETE; }
    |   <REFERENCES> { privilege = ShalePrivilegeStatement.Privilege.REFERENCES; }
    |   <TRUNCATE> { privilege = ShalePrivilegeStatement.Privilege.TRUNCATE; }
    )
    {
        if (privileges.contains(privilege)) {
            throw shaleSyntaxError(getPos(), "privilege " + privilege + " is listed twice");
        }
        privileges.add(privilege);
    }
}
