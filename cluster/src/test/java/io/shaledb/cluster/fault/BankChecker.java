package io.shaledb.cluster.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bank: money moves between a fixed set of accounts ({@value #TRANSFER}, invoked with a {@link
 * Transfer}), and every read of all balances in one snapshot ({@value #READ}, invoked with the
 * table's name, completed with a {@code Map<Integer, Long>} of account to balance) must see every
 * account and the same total. A snapshot that sees half a transfer, or a lost or doubled one, shows
 * a different total.
 */
public final class BankChecker implements Checker {
  public static final String TRANSFER = "transfer";
  public static final String READ = "bank-read";

  /** Moves {@code amount} from account {@code from} to account {@code to} of {@code table}. */
  public record Transfer(String table, int from, int to, long amount) {}

  private final int accounts;
  private final long total;

  public BankChecker(int accounts, long total) {
    this.accounts = accounts;
    this.total = total;
  }

  @Override
  public String name() {
    return "bank";
  }

  @Override
  public List<String> check(History history) {
    List<String> violations = new ArrayList<>();
    for (History.Operation operation : history.operations()) {
      if (!operation.f().equals(READ) || !operation.ok()) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<Integer, Long> balances = (Map<Integer, Long>) operation.completion().value();
      long sum = balances.values().stream().mapToLong(Long::longValue).sum();
      if (balances.size() != accounts || sum != total) {
        violations.add("read of " + operation.invocation().value() + " saw " + balances.size() + " accounts holding "
            + sum + ", not " + accounts + " holding " + total + ": " + operation);
      }
    }
    return violations;
  }
}
