package dev.slipway.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A control plane stand-in for {@link H2ProcessIT}, run as a child JVM: {@code StoreChild MODE STATE_DIR}.
 *
 * <ul>
 *   <li>{@code commit-loop}: appends events forever, printing {@code committed ID} after each commit
 *       returns, for the parent to kill -9.
 *   <li>{@code hold}: opens the store, prints {@code open}, and holds it until stdin closes.
 *   <li>{@code open-time}: opens and closes the store, printing {@code open-ms MILLIS}.
 *   <li>{@code lease-holder STATE_DIR JDBC_URL TTL_MS}: takes the lease on {@code prod}, prints
 *       {@code leased TOKEN}, and renews it every third of its TTL until killed.
 * </ul>
 */
public final class StoreChild {
  private StoreChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path stateDir = Path.of(args[1]);
    switch (mode) {
      case "commit-loop" -> {
        try (StateStore store = StateStore.open(null, stateDir)) {
          for (int i = 1; ; i++) {
            long id = store.appendEvent(new NewEvent("prod", "api", null, "test.tick", "tick " + i, null));
            System.out.println("committed " + id);
            System.out.flush();
          }
        }
      }
      case "hold" -> {
        try (StateStore store = StateStore.open(null, stateDir)) {
          System.out.println("open");
          System.out.flush();
          var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          while (stdin.readLine() != null) {
            // hold the store until the parent closes our stdin
          }
        }
      }
      case "open-time" -> {
        long start = System.nanoTime();
        StateStore store = StateStore.open(null, stateDir);
        long opened = System.nanoTime();
        store.close();
        System.out.println("open-ms " + (opened - start) / 1_000_000);
      }
      case "lease-holder" -> {
        java.time.Duration ttl = java.time.Duration.ofMillis(Long.parseLong(args[3]));
        try (StateStore store = StateStore.open(args[2], stateDir)) {
          Lease lease = store.leases().acquire("prod", LeaseHolder.thisProcess("lease-holder"), ttl);
          System.out.println("leased " + lease.token());
          System.out.flush();
          while (true) {
            Thread.sleep(ttl.dividedBy(3));
            lease = store.leases().renew(lease, ttl);
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }
}
