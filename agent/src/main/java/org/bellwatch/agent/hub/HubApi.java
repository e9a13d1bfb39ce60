package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.StoreException;

/**
 * What the hub answers, with each caller's scope applied: a school coordinator sees one school and is
 * refused (403) another's data; district IT sees every school and alone may decide. Thin over the
 * {@link DistrictStore}; HTTP is {@link HubServer}'s.
 */
final class HubApi {
  static final int MAX_BLOCKS = 5_000;
  private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)+");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DistrictStore store;
  private final DecisionPublisher decisions;
  private final Clock clock;

  HubApi(DistrictStore store, DecisionPublisher decisions, Clock clock) {
    this.store = store;
    this.decisions = decisions;
    this.clock = clock;
  }

  /** The account behind a request: district IT (school null) or a coordinator of one school. */
  record Caller(String username, String role, String school) {
    boolean districtIt() {
      return role.equals("district_it");
    }
  }

  /** A refusal with its HTTP status and a message for the caller. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** The school a request may read: the one it names, if the caller may see it, else the caller's own. */
  private static String scope(Caller c, String school) {
    if (school != null && !SITE.matcher(school).matches()) {
      throw new Refused(400, "school: '" + school + "' is not a site id");
    }
    if (c.school() == null) {
      return school;
    }
    if (school != null && !school.equals(c.school())) {
      throw new Refused(403, "school: your account sees only " + c.school());
    }
    return c.school();
  }

  ObjectNode schools(Caller c) throws StoreException {
    String only = scope(c, null);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("schools");
    for (Map.Entry<String, JsonNode> s : store.schools().entrySet()) {
      if (only == null || only.equals(s.getKey())) {
        ObjectNode o = list.addObject();
        o.put("school", s.getKey());
        o.put("school_name", s.getValue().path("school_name").asText(null));
        JsonNode h = s.getValue().path("health");
        o.put("status", h.isObject() ? h.path("status").asText(null) : null);
        o.put("status_time", h.isObject() ? h.path("time").asText(null) : null);
        o.put("export_pending", h.isObject() ? h.path("export_pending").asLong() : null);
      }
    }
    return out;
  }

  /** Block events, newest first, of one school or (district IT) of all; each with its school. */
  ObjectNode blocks(Caller c, String school, Boolean instructional, int limit) throws StoreException {
    String only = scope(c, school);
    List<DistrictStore.Block> rows = new ArrayList<>();
    store.forEachBlock(only, b -> {
      if (instructional == null || b.event().path("instructional").asBoolean() == instructional) {
        rows.add(b);
      }
    });
    rows.sort(Comparator.comparing((DistrictStore.Block b) -> b.event().path("time").asText()).reversed()
        .thenComparing(DistrictStore.Block::school).thenComparing(DistrictStore.Block::eventId));
    ObjectNode out = JSON.createObjectNode();
    out.put("total", rows.size());
    ArrayNode list = out.putArray("blocks");
    for (DistrictStore.Block b : rows.subList(0, Math.min(limit, rows.size()))) {
      ObjectNode o = list.addObject();
      o.put("school", b.school());
      o.put("school_name", b.schoolName());
      o.put("event_id", b.eventId());
      o.setAll((ObjectNode) b.event());
    }
    return out;
  }

  /**
   * Instructional blocks by school, and the sites that block instruction in the most schools (each with
   * how many schools and how many instructional blocks): the district's first question.
   */
  ObjectNode overview(Caller c) throws StoreException {
    String only = scope(c, null);
    Map<String, long[]> bySchool = new HashMap<>();
    Map<String, Set<String>> schoolsByDomain = new HashMap<>();
    Map<String, long[]> instructionalByDomain = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    store.forEachBlock(only, b -> {
      long[] n = bySchool.computeIfAbsent(b.school(), k -> new long[2]);
      names.putIfAbsent(b.school(), b.schoolName());
      n[0]++;
      if (b.event().path("instructional").asBoolean()) {
        n[1]++;
        String d = b.event().path("domain").asText("");
        schoolsByDomain.computeIfAbsent(d, k -> new HashSet<>()).add(b.school());
        instructionalByDomain.computeIfAbsent(d, k -> new long[1])[0]++;
      }
    });
    ObjectNode out = JSON.createObjectNode();
    ArrayNode schools = out.putArray("schools");
    bySchool.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, long[]> e) -> -e.getValue()[1])
        .thenComparing(Map.Entry::getKey)).forEach(e -> {
          ObjectNode o = schools.addObject();
          o.put("school", e.getKey());
          o.put("school_name", names.get(e.getKey()));
          o.put("blocks", e.getValue()[0]);
          o.put("instructional_blocks", e.getValue()[1]);
        });
    ArrayNode domains = out.putArray("domains");
    schoolsByDomain.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, Set<String>> e) ->
        -e.getValue().size()).thenComparing(e -> -instructionalByDomain.get(e.getKey())[0])
        .thenComparing(Map.Entry::getKey)).limit(50).forEach(e -> {
          ObjectNode o = domains.addObject();
          o.put("domain", e.getKey());
          o.put("schools", e.getValue().size());
          o.put("instructional_blocks", instructionalByDomain.get(e.getKey())[0]);
        });
    return out;
  }

  ObjectNode requests(Caller c, String school) throws StoreException {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("requests");
    store.requests(scope(c, school)).forEach(list::add);
    return out;
  }

  /** Publishes a district decision (district IT only); the body is checked field by field. */
  ObjectNode decide(Caller c, JsonNode body) throws Exception {
    if (!c.districtIt()) {
      throw new Refused(403, "decisions are made by district IT");
    }
    if (body == null || !body.isObject()) {
      throw new Refused(400, "the body must be a JSON object");
    }
    String domain = body.path("domain").asText("");
    if (!DOMAIN.matcher(domain).matches() || domain.length() > 253) {
      throw new Refused(400, "domain: '" + domain + "' is not a lower-case domain name");
    }
    String action = body.path("action").asText("");
    if (!Review.DECISIONS.contains(action)) {
      throw new Refused(400, "action: '" + action + "' is not one of " + Review.DECISIONS);
    }
    String reason = body.path("reason").asText("").strip();
    if (reason.isEmpty() || reason.length() > 2000) {
      throw new Refused(400, "reason: say why, in 1-2000 characters");
    }
    List<String> schools = new ArrayList<>();
    for (JsonNode s : body.path("schools")) {
      if (!s.isTextual() || !SITE.matcher(s.asText()).matches()) {
        throw new Refused(400, "schools: '" + s.asText() + "' is not a site id");
      }
      schools.add(s.asText());
    }
    LocalDate until = null;
    if (body.hasNonNull("until")) {
      try {
        until = LocalDate.parse(body.get("until").asText());
      } catch (DateTimeParseException e) {
        throw new Refused(400, "until: '" + body.get("until").asText() + "' is not a date YYYY-MM-DD");
      }
    }
    if (action.equals(Review.TIME_LIMITED) && until == null) {
      throw new Refused(400, "until: a time_limited decision needs its last day");
    }
    String alternative = body.hasNonNull("alternative") ? body.get("alternative").asText() : null;
    if (action.equals(Review.ALTERNATIVE) && (alternative == null || alternative.isBlank())) {
      throw new Refused(400, "alternative: name the alternative offered");
    }
    return decisions.publish(new DecisionPublisher.Decision(domain, action, reason, schools, until, alternative),
        c.username(), clock.instant());
  }
}
