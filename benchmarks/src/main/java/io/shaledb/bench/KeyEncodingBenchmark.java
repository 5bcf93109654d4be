package io.shaledb.bench;

import io.shaledb.kv.encoding.ColumnType;
import io.shaledb.kv.encoding.KeyEncoder;
import io.shaledb.kv.encoding.RowCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What turning SQL values into storage bytes and back costs: the order-preserving key of a row (an INT key, the
 * workload's (INT, BIGINT) orders key, a VARCHAR key) and the row encoding of a users row (INT, VARCHAR,
 * VARCHAR), whole and with one column projected as a scan decodes it.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar KeyEncoding}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyEncodingBenchmark {
  static final int KEYSPACE = 7;
  private static final ColumnType[] INT_KEY = {ColumnType.INTEGER};
  private static final ColumnType[] ORDERS_KEY = {ColumnType.INTEGER, ColumnType.BIGINT};
  private static final ColumnType[] TEXT_KEY = {ColumnType.VARCHAR};
  private static final int[] SECOND_COLUMN = {1};

  private final RowCodec usersRow = new RowCodec(List.of(ColumnType.INTEGER, ColumnType.VARCHAR, ColumnType.VARCHAR));
  private Object[] user;
  private byte[] encodedUser;
  private int next;

  @Setup
  public void prepare() {
    user = new Object[] {4711, "user4711", "user4711@example.com"};
    encodedUser = usersRow.encode(1, user);
  }

  private int nextInt() {
    next = next * 1_103_515_245 + 12_345;
    return next;
  }

  @Benchmark
  public byte[] intKey() {
    return KeyEncoder.encode(KEYSPACE, INT_KEY, new Object[] {nextInt()});
  }

  @Benchmark
  public byte[] ordersKey() {
    return KeyEncoder.encode(KEYSPACE, ORDERS_KEY, new Object[] {nextInt(), (long) nextInt() << 8});
  }

  @Benchmark
  public byte[] varcharKey() {
    return KeyEncoder.encode(KEYSPACE, TEXT_KEY, new Object[] {"user" + (nextInt() & 0xffff)});
  }

  @Benchmark
  public byte[] encodeRow() {
    user[0] = nextInt();
    return usersRow.encode(1, user);
  }

  @Benchmark
  public Object[] decodeRow() {
    return usersRow.decode(encodedUser);
  }

  @Benchmark
  public Object[] decodeOneColumn() {
    return usersRow.decode(encodedUser, SECOND_COLUMN);
  }
}
