package org.bellwatch.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code --name value} options of the district benchmarks, each with its default; an unknown one is
 * an error.
 */
final class BenchArgs {
  private BenchArgs() {}

  static Map<String, String> parse(String[] args, Map<String, String> defaults) {
    Map<String, String> out = new HashMap<>(defaults);
    for (int i = 0; i < args.length; i += 2) {
      if (!defaults.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "unknown option or missing value: "
                + args[i]
                + "; options (defaults): "
                + new java.util.TreeMap<>(defaults));
      }
      out.put(args[i], args[i + 1]);
    }
    return out;
  }
}
