package org.bellwatch.agent.hub;

import static org.bellwatch.agent.hub.DistrictFamilies.JSON;
import static org.bellwatch.agent.hub.DistrictFamilies.key;
import static org.bellwatch.agent.hub.DistrictFamilies.micros;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bellwatch.agent.store.StoreException;
import org.rocksdb.RocksDBException;

/**
 * The hub's small records: each school's name and last health message ({@code sites}), the review
 * requests the schools sent ({@code requests}), both written by {@link DistrictWriter}, and the
 * decisions the hub published ({@code decisions}), written here.
 */
final class DistrictRecords {
  private final DistrictFamilies families;

  DistrictRecords(DistrictFamilies families) {
    this.families = families;
  }

  /** Every school heard from, by site id: its name and last health message. */
  Map<String, JsonNode> schools() throws StoreException {
    Map<String, JsonNode> out = new TreeMap<>();
    families.scan(
        families.sites,
        new byte[0],
        (k, v) -> out.put(new String(k, StandardCharsets.UTF_8), JSON.readTree(v)));
    return out;
  }

  /** The review requests of the school ({@code null}: of every school), in key order. */
  List<JsonNode> requests(String school) throws StoreException {
    List<JsonNode> out = new ArrayList<>();
    families.scan(
        families.requests,
        school == null ? new byte[0] : key(school, ""),
        (k, v) -> out.add(JSON.readTree(v)));
    return out;
  }

  /**
   * Keeps a decision the hub published (its message), under its time and id; storing it again
   * changes nothing.
   */
  void putDecision(JsonNode decision) throws StoreException {
    try {
      families.db.put(
          families.decisions,
          families.writeOptions,
          key(
              micros(Instant.parse(decision.path("time").asText())),
              decision.path("decision_id").asText()),
          JSON.writeValueAsBytes(decision));
    } catch (RocksDBException | IOException | DateTimeParseException e) {
      throw families.writeFailed(e);
    }
  }

  /** Every decision the hub published, oldest first. */
  List<JsonNode> decisions() throws StoreException {
    List<JsonNode> out = new ArrayList<>();
    families.scan(families.decisions, new byte[0], (k, v) -> out.add(JSON.readTree(v)));
    return out;
  }
}
