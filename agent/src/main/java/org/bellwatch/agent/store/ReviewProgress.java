package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far a reader of the reviews has got: for each domain, how many steps of its history it has
 * handled. A count, not a time, because steps do not arrive in time order (a district decision
 * carries the hub's time and may arrive after later local steps), and a review's history only
 * grows. Kept under one key in the offsets family (whose file keys never start so); a site has
 * hundreds of reviews, not millions.
 */
public final class ReviewProgress {
  static final int VERSION = 1;
  private final KeyValues offsets;
  private final byte[] key;

  ReviewProgress(KeyValues offsets, String reader) {
    this.offsets = offsets;
    this.key = reader.getBytes(StandardCharsets.UTF_8);
  }

  /** Steps handled by domain, or empty before this reader's first record. */
  public Optional<Map<String, Integer>> load() throws StoreException {
    byte[] v = offsets.get(key);
    if (v == null) {
      return Optional.empty();
    }
    JsonNode o = Records.read(v, VERSION, "review progress");
    Map<String, Integer> out = new HashMap<>();
    o.path("handled").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
    return Optional.of(out);
  }

  public void save(Map<String, Integer> handled) throws StoreException {
    ObjectNode o = Records.object(VERSION);
    ObjectNode h = o.putObject("handled");
    handled.forEach(h::put);
    offsets.put(key, Records.bytes(o));
  }
}
