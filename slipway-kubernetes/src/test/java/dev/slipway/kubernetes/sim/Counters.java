package dev.slipway.kubernetes.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the simulated controllers wrote, by name ({@code status.Deployment}, {@code create.Pod}, …). */
final class Counters {

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  void add(String name) {
    counts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
  }

  int get(String name) {
    AtomicInteger n = counts.get(name);
    return n == null ? 0 : n.get();
  }

  int sum(String prefix) {
    return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(e -> e.getValue().get()).sum();
  }

  Map<String, Integer> snapshot() {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
