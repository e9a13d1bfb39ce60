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
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.StoreException;

/**
 * What the hub answers, with each caller's scope applied: a school coordinator sees one school and
 * is refused (403) another's data; district IT sees every school and alone may decide. Thin over
 * the {@link DistrictStore}; HTTP is {@link HubServer}'s.
 */
final class HubApi {
  static final int MAX_BLOCKS = 5_000;
  private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)+");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The longest range a report may cover, so that one request cannot ask the store for years of
   * blocks.
   */
  static final java.time.Duration MAX_RANGE = java.time.Duration.ofDays(400);

  private final DistrictStore store;
  private final DecisionPublisher decisions;
  private final Clock clock;
  private final java.time.ZoneId zone;
  private final DistrictReports reports;

  /**
   * @param zone the district's time zone: reports count days there
   */
  HubApi(DistrictStore store, DecisionPublisher decisions, Clock clock, java.time.ZoneId zone) {
    this.store = store;
    this.decisions = decisions;
    this.clock = clock;
    this.zone = zone;
    this.reports = new DistrictReports(store, zone);
  }

  /**
   * A report's time range [from, to): instants as the console sends them; by default the last 30
   * days.
   */
  record Range(java.time.Instant from, java.time.Instant to) {
    static Range of(String from, String to, Clock clock) {
      java.time.Instant end = to == null ? clock.instant() : instant("to", to);
      java.time.Instant start =
          from == null ? end.minus(java.time.Duration.ofDays(30)) : instant("from", from);
      if (!start.isBefore(end)) {
        throw new Refused(400, "from: '" + start + "' is not before to '" + end + "'");
      }
      if (java.time.Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
        throw new Refused(400, "from, to: a range of at most " + MAX_RANGE.toDays() + " days");
      }
      return new Range(start, end);
    }

    private static java.time.Instant instant(String name, String text) {
      try {
        return java.time.Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new Refused(
            400, name + ": '" + text + "' is not an ISO-8601 instant such as 2026-09-14T05:00:00Z");
      }
    }
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
    long retryAfterSecs;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    /** The seconds to wait before trying again (a Retry-After header, RFC 9110 section 10.2.3). */
    Refused retryAfter(long secs) {
      this.retryAfterSecs = secs;
      return this;
    }
  }

  Clock clock() {
    return clock;
  }

  /**
   * The school a request may read: the one it names, if the caller may see it, else the caller's
   * own.
   */
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
        java.time.Instant last = store.lastBlockTime(s.getKey());
        o.put("last_block", last == null ? null : last.toString());
      }
    }
    return out;
  }

  /** Block events, newest first, of one school or (district IT) of all; each with its school. */
  ObjectNode blocks(Caller c, String school, Boolean instructional, int limit)
      throws StoreException {
    String only = scope(c, school);
    long total = 0;
    for (Map.Entry<String, long[]> t : store.schoolTotals().entrySet()) {
      if (only == null || only.equals(t.getKey())) {
        long[] n = t.getValue();
        total += instructional == null ? n[0] : instructional ? n[1] : n[0] - n[1];
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("total", total);
    ArrayNode list = out.putArray("blocks");
    for (DistrictStore.Block b : store.newestBlocks(only, instructional, limit)) {
      ObjectNode o = list.addObject();
      o.put("school", b.school());
      o.put("school_name", b.schoolName());
      o.put("event_id", b.eventId());
      o.setAll((ObjectNode) b.event());
    }
    return out;
  }

  /**
   * Instructional blocks by school, and the sites that block instruction in the most schools (each
   * with how many schools and how many instructional blocks): the district's first question. Summed
   * from the store's tallies, not from the events.
   */
  ObjectNode overview(Caller c) throws StoreException {
    String only = scope(c, null);
    Map<String, JsonNode> known = store.schools();
    List<Tallies.DomainSum> sums;
    if (only == null) {
      sums = store.domainSums();
    } else {
      // One school's rows: a few hundred, summed here.
      sums = new ArrayList<>();
      for (Tallies.Row r : store.tallies(only)) {
        if (r.instructional() > 0) {
          sums.add(new Tallies.DomainSum(r.domain(), 1, r.instructional()));
        }
      }
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode schools = out.putArray("schools");
    store.schoolTotals().entrySet().stream()
        .filter(e -> only == null || only.equals(e.getKey()))
        .sorted(
            Comparator.comparing((Map.Entry<String, long[]> e) -> -e.getValue()[1])
                .thenComparing(Map.Entry::getKey))
        .forEach(
            e -> {
              ObjectNode o = schools.addObject();
              o.put("school", e.getKey());
              JsonNode s = known.get(e.getKey());
              o.put(
                  "school_name", s == null ? e.getKey() : s.path("school_name").asText(e.getKey()));
              o.put("blocks", e.getValue()[0]);
              o.put("instructional_blocks", e.getValue()[1]);
            });
    ArrayNode domains = out.putArray("domains");
    sums.stream()
        .sorted(
            Comparator.comparingLong((Tallies.DomainSum d) -> -d.schools())
                .thenComparingLong(d -> -d.instructional())
                .thenComparing(Tallies.DomainSum::domain))
        .limit(50)
        .forEach(
            d -> {
              ObjectNode o = domains.addObject();
              o.put("domain", d.domain());
              o.put("schools", d.schools());
              o.put("instructional_blocks", d.instructional());
            });
    return out;
  }

  /** The district's figures over the range, of the schools the caller sees. */
  ObjectNode summary(Caller c, Range r) throws StoreException {
    return reports.summary(scope(c, null), r.from(), r.to());
  }

  /**
   * One school's figures over the range: 403 for a school outside the caller's scope, 404 for one
   * never heard from.
   */
  ObjectNode school(Caller c, String school, Range r) throws StoreException {
    String only = scope(c, school);
    JsonNode record = store.schools().get(only);
    if (record == null) {
      throw new Refused(404, "school: no message from '" + only + "' has reached the hub");
    }
    return reports.school(only, record, r.from(), r.to());
  }

  /**
   * The requests of the caller's schools grouped by site, with the decisions the caller may see.
   */
  ObjectNode queue(Caller c, Range r) throws StoreException {
    String only = scope(c, null);
    return reports.queue(only, store.requests(only), visibleDecisions(c), r.from(), r.to());
  }

  /** The district's decisions in the range, newest first, as the caller may see them. */
  ObjectNode decisions(Caller c, Range r) throws StoreException {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("decisions");
    List<JsonNode> all = visibleDecisions(c);
    for (int i = all.size() - 1; i >= 0; i--) {
      java.time.Instant t = java.time.Instant.parse(all.get(i).path("time").asText());
      if (!t.isBefore(r.from()) && t.isBefore(r.to())) {
        list.add(all.get(i));
      }
    }
    return out;
  }

  /**
   * Decisions oldest first: all of them for district IT; for a coordinator those that apply to
   * their school, naming no other school (a decision for several schools shows only theirs).
   */
  private List<JsonNode> visibleDecisions(Caller c) throws StoreException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode d : store.decisions()) {
      if (c.school() == null) {
        out.add(d);
      } else if (DistrictReports.applies(d, c.school())) {
        ObjectNode mine = d.deepCopy();
        if (!mine.path("schools").isEmpty()) {
          mine.putArray("schools").add(c.school());
        }
        out.add(mine);
      }
    }
    return out;
  }

  /** The caller as the console shows it: who, the role, and the school a coordinator sees. */
  ObjectNode whoami(Caller c) throws StoreException {
    ObjectNode out = JSON.createObjectNode();
    out.put("username", c.username());
    out.put("role", c.role());
    out.put("school", c.school());
    JsonNode record = c.school() == null ? null : store.schools().get(c.school());
    out.put(
        "school_name", record == null ? c.school() : record.path("school_name").asText(c.school()));
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
        throw new Refused(
            400, "until: '" + body.get("until").asText() + "' is not a date YYYY-MM-DD");
      }
    }
    // The rules of a site's console (web.ReviewSteps): a decision every school applies is held to
    // them too.
    String untilProblem = Review.untilProblem(action, until, LocalDate.now(clock.withZone(zone)));
    if (untilProblem != null) {
      throw new Refused(400, untilProblem);
    }
    String alternative = body.hasNonNull("alternative") ? body.get("alternative").asText() : null;
    if (action.equals(Review.ALTERNATIVE) && (alternative == null || alternative.isBlank())) {
      throw new Refused(400, "alternative: name the alternative offered");
    }
    if (alternative != null && alternative.length() > Review.MAX_ALTERNATIVE_CHARS) {
      throw new Refused(
          400, "alternative: at most " + Review.MAX_ALTERNATIVE_CHARS + " characters");
    }
    ObjectNode published;
    try {
      published =
          decisions.publish(
              new DecisionPublisher.Decision(domain, action, reason, schools, until, alternative),
              c.username(),
              clock.instant());
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable why = e.getCause() == null ? e : e.getCause();
      throw new Refused(
          503,
          "Kafka did not acknowledge the decision, so the schools may not get it: "
              + why.getClass().getSimpleName()
              + (why.getMessage() == null ? "" : ": " + why.getMessage()));
    }
    store.putDecision(published);
    return published;
  }
}
