package org.bellwatch.agent.store;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One named value a task keeps across restarts (such as the last week whose summary was mailed),
 * under its own key in the offsets family (whose file keys never start so).
 */
public final class StoreMarker {
  private final KeyValues offsets;
  private final byte[] key;

  StoreMarker(KeyValues offsets, String name) {
    this.offsets = offsets;
    this.key = name.getBytes(StandardCharsets.UTF_8);
  }

  public Optional<String> read() throws StoreException {
    byte[] v = offsets.get(key);
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  public void write(String value) throws StoreException {
    offsets.put(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
