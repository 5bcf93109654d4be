package io.shaledb.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** Records requested pauses instead of sleeping, and runs an action on each (e.g. moving a manual clock). */
final class RecordingSleeper implements Sleeper {
  private final List<Long> pauses = new ArrayList<>();
  private LongConsumer onPause = millis -> {};

  void onPause(LongConsumer action) {
    this.onPause = action;
  }

  synchronized List<Long> pauses() {
    return List.copyOf(pauses);
  }

  long totalMs() {
    return pauses().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public void sleep(long millis) {
    synchronized (this) {
      pauses.add(millis);
    }
    onPause.accept(millis);
  }
}
