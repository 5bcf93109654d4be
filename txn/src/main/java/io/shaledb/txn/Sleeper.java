package io.shaledb.txn;

/** Pauses the calling thread; injectable so tests can wait without real time passing. */
@FunctionalInterface
public interface Sleeper {
  void sleep(long millis) throws InterruptedException;

  static Sleeper system() {
    return Thread::sleep;
  }
}
