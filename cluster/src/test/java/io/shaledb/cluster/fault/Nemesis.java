package io.shaledb.cluster.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * A seeded schedule of faults of one kind against one role of node, and the thread-less loop that
 * plays it. Everything random (when, how long, which direction, how far a clock jumps) comes from
 * the seed, so {@link #describe()} printed at the start of a run and the same seed replay it; which
 * node plays the role is looked up when each fault starts (after a fail-over the metadata leader is
 * another node).
 */
public final class Nemesis {
  /** Elections are timed around 2 s: pauses and partitions outlast them. */
  static final long ELECTION_TIMEOUT_MS = 2_000;

  public enum Kind { KILL, PAUSE, PARTITION, CLOCK }

  /** Whom the faults hit. */
  public enum Target { METADATA_LEADER, FOLLOWER }

  /**
   * One fault: starts {@code quietMillis} after the previous one healed, lasts {@code holdMillis}.
   * {@code direction} matters for partitions, {@code clockOffsetMillis} for clock faults.
   */
  public record Step(long quietMillis, long holdMillis, Fault.Direction direction, long clockOffsetMillis) {}

  /** A fault that happened: on which node, from injection to the start of its healing. */
  public record Window(Fault fault, long injectedNanos, long healingNanos) {
    public boolean covers(long nanos) {
      return nanos >= injectedNanos && nanos < healingNanos;
    }
  }

  private final long seed;
  private final Kind kind;
  private final Target target;
  private final List<Step> steps;

  private Nemesis(long seed, Kind kind, Target target, List<Step> steps) {
    this.seed = seed;
    this.kind = kind;
    this.target = target;
    this.steps = List.copyOf(steps);
  }

  /** As many steps as fit in {@code durationMillis}, all drawn from {@code seed}. */
  public static Nemesis schedule(long seed, Kind kind, Target target, long durationMillis) {
    Random random = new Random(seed);
    List<Step> steps = new ArrayList<>();
    long planned = 0;
    while (true) {
      long quiet = 1_000 + random.nextInt(2_000);
      long hold = switch (kind) {
        case KILL -> 1_000 + random.nextInt(3_000);
        case PAUSE, PARTITION -> ELECTION_TIMEOUT_MS + 1_000 + random.nextInt(4_000);
        case CLOCK -> 2_000 + random.nextInt(4_000);
      };
      Fault.Direction direction = Fault.Direction.values()[random.nextInt(Fault.Direction.values().length)];
      // Up to 30 s either way, at least 500 ms: beyond the lock TTL (10 s) and the oracle's window.
      long offset = (500 + random.nextInt(29_500)) * (random.nextBoolean() ? 1 : -1);
      if (planned + quiet + hold > durationMillis && !steps.isEmpty()) {
        break;
      }
      steps.add(new Step(quiet, hold, direction, offset));
      planned += quiet + hold;
    }
    return new Nemesis(seed, kind, target, steps);
  }

  public Kind kind() {
    return kind;
  }

  public Target target() {
    return target;
  }

  public List<Step> steps() {
    return steps;
  }

  /** One line per step, for the log at the start of a run. */
  public String describe() {
    StringBuilder text = new StringBuilder("nemesis " + kind + " on the " + target + ", seed " + seed + ":");
    for (Step step : steps) {
      text.append("\n  after ").append(step.quietMillis()).append(" ms quiet, ").append(switch (kind) {
        case KILL -> "kill, restart after " + step.holdMillis() + " ms";
        case PAUSE -> "pause for " + step.holdMillis() + " ms";
        case PARTITION -> "partition " + step.direction() + " for " + step.holdMillis() + " ms";
        case CLOCK -> "clock " + (step.clockOffsetMillis() > 0 ? "+" : "") + step.clockOffsetMillis() + " ms for "
            + step.holdMillis() + " ms";
      });
    }
    return text.toString();
  }

  private Fault fault(Step step, int node) {
    return switch (kind) {
      case KILL -> new Fault.Kill(node);
      case PAUSE -> new Fault.Pause(node);
      case PARTITION -> new Fault.Partition(node, step.direction());
      case CLOCK -> new Fault.ClockOffset(node, step.clockOffsetMillis());
    };
  }

  /**
   * Plays the schedule on the calling thread; {@code victim} names the node for each step. Every
   * fault is healed before this returns, also when it fails.
   *
   * @return the faults as they happened
   */
  public List<Window> run(ClusterProcesses cluster, IntSupplier victim, java.util.function.Consumer<String> log)
      throws Exception {
    List<Window> windows = new ArrayList<>();
    for (Step step : steps) {
      Thread.sleep(step.quietMillis());
      Fault fault = fault(step, victim.getAsInt());
      long injected = System.nanoTime();
      fault.inject(cluster);
      log.accept("inject " + fault);
      try {
        Thread.sleep(step.holdMillis());
      } finally {
        long healing = System.nanoTime();
        fault.heal(cluster);
        windows.add(new Window(fault, injected, healing));
        log.accept("healed " + fault + " in " + (System.nanoTime() - healing) / 1_000_000 + " ms");
      }
    }
    return windows;
  }
}
