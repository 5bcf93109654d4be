package io.shaledb.bench.workload;

/**
 * One operation measured on one engine at one thread count. Latencies are per completed operation, retries
 * included; {@code retries} counts place-order attempts that hit a serialization conflict and ran again.
 */
public record OpResult(String engine, String operation, int threads, long ops, double seconds,
    double p50Micros, double p99Micros, long retries) {

  public double throughput() {
    return seconds == 0 ? 0 : ops / seconds;
  }
}
