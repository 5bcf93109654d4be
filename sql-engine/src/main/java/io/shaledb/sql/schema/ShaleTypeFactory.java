package io.shaledb.sql.schema;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.SqlCollation;

/**
 * The engine's type factory: character types are UTF-8, so text in any language (Chinese, emoji,
 * combining characters) is a valid literal, parameter and column value.
 *
 * <p>Calcite's default character set is ISO-8859-1 (its {@code calcite.default.charset} system
 * property): every literal outside Latin-1 fails to encode while the statement is converted.
 * Overriding the factory keeps the choice inside the engine, instead of a JVM-wide system property
 * an embedding application would inherit.
 *
 * <p>Every character type is UTF-8, whatever character set a literal names: Calcite types a
 * Unicode-escape literal ({@code U&'\8336'}) or a {@code _UTF16'...'} literal as UTF-16, which
 * then refuses to compare with, or be stored into, other text (42804). Values are Java strings
 * either way; the character set only decides which types are compatible.
 */
public final class ShaleTypeFactory extends JavaTypeFactoryImpl {
  public ShaleTypeFactory(RelDataTypeSystem typeSystem) {
    super(typeSystem);
  }

  @Override
  public Charset getDefaultCharset() {
    return StandardCharsets.UTF_8;
  }

  @Override
  public RelDataType createTypeWithCharsetAndCollation(RelDataType type, Charset charset, SqlCollation collation) {
    return super.createTypeWithCharsetAndCollation(type, StandardCharsets.UTF_8, collation);
  }
}
