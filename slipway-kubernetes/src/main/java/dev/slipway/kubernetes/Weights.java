package dev.slipway.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Raw weights (route weights, replica counts) as whole percentages that add up to exactly 100. */
final class Weights {
  private Weights() {}

  /**
   * Percent per key, largest remainders rounded up so the sum is 100; keys weighing 0 stay, at 0%.
   * Empty when nothing weighs anything (no traffic is routed).
   */
  static Map<String, Integer> percent(Map<String, Integer> raw) {
    long total = raw.values().stream().mapToLong(v -> Math.max(0, v)).sum();
    Map<String, Integer> out = new LinkedHashMap<>();
    if (total == 0) {
      return out;
    }
    List<String> keys = new ArrayList<>(raw.keySet());
    int given = 0;
    double[] remainder = new double[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      double exact = 100.0 * Math.max(0, raw.get(keys.get(i))) / total;
      int floor = (int) Math.floor(exact);
      out.put(keys.get(i), floor);
      remainder[i] = exact - floor;
      given += floor;
    }
    while (given < 100) {
      int best = 0;
      for (int i = 1; i < keys.size(); i++) {
        if (remainder[i] > remainder[best]) {
          best = i;
        }
      }
      out.merge(keys.get(best), 1, Integer::sum);
      remainder[best] = -1;
      given++;
    }
    return out;
  }
}
