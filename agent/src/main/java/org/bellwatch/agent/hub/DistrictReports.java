package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.bellwatch.agent.store.StoreException;

/**
 * The district console's figures over a time range, computed from the {@link DistrictStore}'s
 * blocks of the schools in the caller's scope (the caller's scope is {@link HubApi}'s to apply):
 * the district summary (by school, the sites that block instruction in the most schools, by day),
 * one school's view (its sites, bell periods and class sections), and the requests that came up
 * grouped by site.
 *
 * <p>A lesson is a class section on one day (the district's calendar day): a site blocked fifty
 * times in one class on one day stopped one lesson, as the site's decision queue counts it.
 *
 * <p>Design note. One class because its three reports are folds of the same scan of stored blocks
 * into one grouping ({@code Tally}: blocks, instructional blocks, sections, lessons, schools), and
 * what they answer must count alike: a lesson in the summary is a lesson in a school's view and in
 * the queue's impact. The JSON shapes they share (the range, a school's fields, the days) sit
 * beside them. Should a fourth report come, {@code Tally} moves to its own file and each report
 * with it.
 */
final class DistrictReports {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int TOP = 25;
  private final DistrictStore store;
  private final ZoneId zone;

  DistrictReports(DistrictStore store, ZoneId zone) {
    this.store = store;
    this.zone = zone;
  }

  /** Counts of one group of blocks (a school, a site, a section, a period, a day). */
  private final class Tally {
    long blocks;
    long instructional;
    final Set<String> domains = new HashSet<>();
    final Set<String> sections = new HashSet<>();
    final Set<String> lessons = new HashSet<>();
    final Set<String> rooms = new HashSet<>();
    final Map<String, long[]> byDomain = new HashMap<>();
    final Map<String, long[]> categories = new HashMap<>();
    String lastSeen;

    void add(DistrictStore.Block b) {
      JsonNode e = b.event();
      blocks++;
      String time = e.path("time").asText();
      if (lastSeen == null || time.compareTo(lastSeen) > 0) {
        lastSeen = time;
      }
      if (!e.path("instructional").asBoolean()) {
        return;
      }
      instructional++;
      String domain = e.path("domain").asText("");
      domains.add(domain);
      byDomain.computeIfAbsent(domain, k -> new long[1])[0]++;
      if (e.hasNonNull("category")) {
        categories.computeIfAbsent(e.get("category").asText(), k -> new long[1])[0]++;
      }
      if (e.hasNonNull("room")) {
        rooms.add(e.get("room").asText());
      }
      if (e.hasNonNull("section")) {
        String section = b.school() + "\0" + e.get("section").asText();
        sections.add(section);
        lessons.add(section + "\0" + day(time));
      }
    }

    void put(ObjectNode o) {
      o.put("blocks", blocks);
      o.put("instructional_blocks", instructional);
      o.put("domains", domains.size());
      o.put("sections", sections.size());
      o.put("lessons", lessons.size());
    }

    /** The site blocked most often during class here, or null. */
    String topDomain() {
      return most(byDomain);
    }

    /**
     * The category most of the blocks during class carried, as the district summary names a
     * domain's ({@link RangeTally#category}).
     */
    String category() {
      return most(categories);
    }
  }

  /** The key with the highest count (ties: the first by name), or null. */
  private static String most(Map<String, long[]> counts) {
    return counts.entrySet().stream()
        .max(
            Comparator.comparingLong((Map.Entry<String, long[]> x) -> x.getValue()[0])
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private String day(String isoInstant) {
    return LocalDate.ofInstant(Instant.parse(isoInstant), zone).toString();
  }

  /**
   * Every school in scope ({@code only}, or all) with its figures over [from, to), zero when it had
   * no block there; the sites that blocked instruction in the most schools (then in the most
   * lessons); attempts by day. Summed from the day tallies ({@link #tally}).
   */
  ObjectNode summary(String only, Instant from, Instant to) throws StoreException {
    RangeTally t = tally(only, from, to);
    Map<String, JsonNode> known = store.schools();
    ObjectNode out = range(from, to);
    ObjectNode totals = out.putObject("totals");
    put(totals, t.total);
    totals.put("schools", only == null ? known.size() : 1);
    totals.put("schools_blocked", t.schoolsBlocked());
    RangeTally.Group none = new RangeTally.Group();
    ArrayNode schools = out.putArray("schools");
    known.keySet().stream()
        .filter(s -> only == null || only.equals(s))
        .sorted(
            Comparator.comparingLong((String s) -> -t.schools.getOrDefault(s, none).instructional)
                .thenComparing(s -> known.get(s).path("school_name").asText(s)))
        .forEach(
            s -> {
              RangeTally.Group g = t.schools.getOrDefault(s, none);
              ObjectNode o = schoolFields(schools.addObject(), s, known.get(s));
              put(o, g);
              o.put("top_domain", t.topDomain(g));
            });
    ArrayNode domains = out.putArray("domains");
    Function<String, String> name =
        s -> known.containsKey(s) ? known.get(s).path("school_name").asText(s) : s;
    t.domains.stream()
        .sorted(
            Comparator.comparingInt((RangeTally.Domain d) -> -d.schools.cardinality())
                .thenComparingLong(d -> -d.lessons)
                .thenComparingLong(d -> -d.instructional)
                .thenComparing(d -> t.name(d.id)))
        .limit(TOP)
        .forEach(
            d -> {
              ObjectNode o = domains.addObject();
              o.put("domain", t.name(d.id));
              o.put("category", t.category(d));
              o.put("schools", d.schools.cardinality());
              o.put("lessons", d.lessons);
              o.put("instructional_blocks", d.instructional);
              t.schoolsOf(d).map(name).sorted().forEach(o.putArray("school_names")::add);
            });
    ArrayNode days = out.putArray("days");
    t.days.forEach(
        (d, n) -> {
          ObjectNode o = days.addObject();
          o.put("day", d);
          o.put("attempts", n[0]);
          o.put("instructional_attempts", n[1]);
        });
    return out;
  }

  private static void put(ObjectNode o, RangeTally.Group g) {
    o.put("blocks", g.blocks);
    o.put("instructional_blocks", g.instructional);
    o.put("domains", g.domains);
    o.put("sections", g.sections);
    o.put("lessons", g.lessons);
  }

  /**
   * The blocks of [from, to) counted by school and day: the whole days in the range from the
   * store's day tallies, the parts of a day at either end (a range need not start or end at
   * midnight) from their events.
   */
  RangeTally tally(String only, Instant from, Instant to) throws StoreException {
    DayTallies tallies = store.dayTallies();
    RangeTally t = new RangeTally(tallies::name);
    LocalDate first = LocalDate.ofInstant(from, zone);
    if (first.atStartOfDay(zone).toInstant().isBefore(from)) {
      first = first.plusDays(1);
    }
    LocalDate end = LocalDate.ofInstant(to, zone);
    if (!first.isBefore(end)) {
      events(only, from, to, tallies, t);
      return t;
    }
    events(only, from, first.atStartOfDay(zone).toInstant(), tallies, t);
    store.dayRows(only, first, end, t);
    events(only, end.atStartOfDay(zone).toInstant(), to, tallies, t);
    return t;
  }

  /** Counts the events of [from, to) (part of a day) into the tally. */
  private void events(String only, Instant from, Instant to, DayTallies tallies, RangeTally t)
      throws StoreException {
    if (!from.isBefore(to)) {
      return;
    }
    DayTallies.Counts counts = tallies.new Counts();
    store.forEachBlockBetween(
        only,
        from,
        to,
        b -> {
          JsonNode e = b.event();
          try {
            counts.count(
                day(e.path("time").asText()),
                b.school(),
                e.path("instructional").asBoolean(),
                e.path("domain").asText(""),
                e.hasNonNull("section") ? e.get("section").asText() : null,
                e.hasNonNull("category") ? e.get("category").asText() : null,
                1);
          } catch (org.rocksdb.RocksDBException x) {
            throw new java.io.UncheckedIOException(new java.io.IOException(x.getMessage(), x));
          }
        });
    counts.forEach(t);
  }

  /**
   * One school's view over [from, to): its figures, by day, its sites, bell periods and class
   * sections.
   */
  ObjectNode school(String school, JsonNode record, Instant from, Instant to)
      throws StoreException {
    Tally total = new Tally();
    Map<String, Tally> byDay = new TreeMap<>();
    Map<String, Tally> byDomain = new HashMap<>();
    Map<String, Tally> byPeriod = new HashMap<>();
    Map<String, Tally> bySection = new HashMap<>();
    Map<String, JsonNode> sectionFacts = new HashMap<>();
    Tally outsidePeriods = new Tally();
    store.forEachBlockBetween(
        school,
        from,
        to,
        b -> {
          JsonNode e = b.event();
          total.add(b);
          byDay.computeIfAbsent(day(e.path("time").asText()), k -> new Tally()).add(b);
          byDomain.computeIfAbsent(e.path("domain").asText(""), k -> new Tally()).add(b);
          (e.hasNonNull("period")
                  ? byPeriod.computeIfAbsent(e.get("period").asText(), k -> new Tally())
                  : outsidePeriods)
              .add(b);
          if (e.hasNonNull("section") && e.path("instructional").asBoolean()) {
            bySection.computeIfAbsent(e.get("section").asText(), k -> new Tally()).add(b);
            sectionFacts.putIfAbsent(e.get("section").asText(), e);
          }
        });
    ObjectNode out = schoolFields(range(from, to), school, record);
    ObjectNode totals = out.putObject("totals");
    total.put(totals);
    totals.put("rooms", total.rooms.size());
    days(out, byDay);
    ArrayNode domains = out.putArray("domains");
    byDomain.values().removeIf(t -> t.instructional == 0);
    top(
            byDomain,
            Comparator.comparingInt((Tally t) -> -t.lessons.size())
                .thenComparingLong(t -> -t.instructional))
        .forEach(
            e -> {
              ObjectNode o = domains.addObject();
              o.put("domain", e.getKey());
              o.put("category", e.getValue().category());
              e.getValue().put(o);
              o.remove("domains");
              o.put("rooms", e.getValue().rooms.size());
              o.put("last_seen", e.getValue().lastSeen);
            });
    ArrayNode periods = out.putArray("periods");
    byPeriod.entrySet().stream()
        .sorted(Comparator.comparing(e -> periodOrder(e.getKey())))
        .forEach(
            e -> {
              ObjectNode o = periods.addObject();
              o.put("period", e.getKey());
              o.put("attempts", e.getValue().blocks);
              o.put("instructional_attempts", e.getValue().instructional);
            });
    ObjectNode outside = out.putObject("outside_periods");
    outside.put("attempts", outsidePeriods.blocks);
    outside.put("instructional_attempts", outsidePeriods.instructional);
    ArrayNode sections = out.putArray("sections");
    top(bySection, Comparator.comparingLong((Tally t) -> -t.instructional))
        .forEach(
            e -> {
              JsonNode facts = sectionFacts.get(e.getKey());
              ObjectNode o = sections.addObject();
              o.put("section", e.getKey());
              o.put("course", facts.path("course").asText(null));
              o.put("teacher", facts.path("teacher").asText(null));
              o.put("room", facts.path("room").asText(null));
              o.put("period", facts.path("period").asText(null));
              o.put("instructional_blocks", e.getValue().instructional);
              o.put("lessons", e.getValue().lessons.size());
              o.put("domains", e.getValue().domains.size());
              o.put("top_domain", e.getValue().topDomain());
            });
    return out;
  }

  /**
   * The review requests the schools in scope sent up, grouped by site: each request with whether a
   * district decision for its school came after it; each site with its impact on instruction over
   * [from, to) and the latest decision. Sites with requests still waiting come first, then those
   * asked for by the most schools.
   */
  ObjectNode queue(
      String only, List<JsonNode> requests, List<JsonNode> decisions, Instant from, Instant to)
      throws StoreException {
    RangeTally tally = tally(only, from, to);
    Map<String, RangeTally.Domain> impact = new HashMap<>();
    tally.domains.forEach(d -> impact.put(tally.name(d.id), d));
    Map<String, List<JsonNode>> byDomain = new TreeMap<>();
    for (JsonNode r : requests) {
      byDomain
          .computeIfAbsent(r.path("domain").asText(""), k -> new java.util.ArrayList<>())
          .add(r);
    }
    List<ObjectNode> items = new java.util.ArrayList<>();
    byDomain.forEach(
        (domain, asked) -> {
          ObjectNode item = JSON.createObjectNode();
          item.put("domain", domain);
          ArrayNode list = item.putArray("requests");
          Set<String> schools = new HashSet<>();
          int waiting = 0;
          String latest = "";
          for (JsonNode r : asked) {
            String school = r.path("site_id").asText();
            schools.add(school);
            JsonNode answer = answer(decisions, domain, school, r.path("time").asText());
            waiting += answer == null ? 1 : 0;
            latest =
                r.path("time").asText().compareTo(latest) > 0 ? r.path("time").asText() : latest;
            ObjectNode o = list.addObject();
            o.put("school", school);
            o.put("school_name", r.path("site_name").asText(school));
            for (String f :
                List.of(
                    "request_id",
                    "time",
                    "role",
                    "reason",
                    "url_prefix",
                    "need_from",
                    "need_until")) {
              o.set(f, r.hasNonNull(f) ? r.get(f) : JSON.nullNode());
            }
            o.put("sections", r.path("sections").size());
            o.put("answered_by", answer == null ? null : answer.path("decision_id").asText());
          }
          item.put("schools_asking", schools.size());
          item.put("waiting", waiting);
          item.put("last_request", latest);
          RangeTally.Domain t = impact.getOrDefault(domain, new RangeTally.Domain());
          item.put("instructional_blocks", t.instructional);
          item.put("schools_blocked", t.schools.cardinality());
          item.put("lessons", t.lessons);
          JsonNode decided =
              decisions.stream()
                  .filter(d -> d.path("domain").asText().equals(domain))
                  .reduce((a, b) -> b)
                  .orElse(null);
          item.set("decision", decided == null ? JSON.nullNode() : decided);
          items.add(item);
        });
    items.sort(
        Comparator.comparing((ObjectNode i) -> i.get("waiting").asInt() == 0)
            .thenComparingInt(i -> -i.get("schools_asking").asInt())
            .thenComparingInt(i -> -i.get("lessons").asInt())
            .thenComparing(i -> i.get("last_request").asText(), Comparator.reverseOrder()));
    ObjectNode out = range(from, to);
    ArrayNode list = out.putArray("items");
    items.forEach(list::add);
    return out;
  }

  /**
   * The first decision on the domain after the request's time that applies to its school, or null.
   */
  private static JsonNode answer(
      List<JsonNode> decisions, String domain, String school, String time) {
    for (JsonNode d : decisions) {
      if (d.path("domain").asText().equals(domain)
          && applies(d, school)
          && Instant.parse(d.path("time").asText()).isAfter(Instant.parse(time))) {
        return d;
      }
    }
    return null;
  }

  /** A decision applies to a school when it names no school (district-wide) or names it. */
  static boolean applies(JsonNode decision, String school) {
    JsonNode named = decision.path("schools");
    if (named.isEmpty()) {
      return true;
    }
    for (JsonNode s : named) {
      if (s.asText().equals(school)) {
        return true;
      }
    }
    return false;
  }

  private ObjectNode range(Instant from, Instant to) {
    ObjectNode out = JSON.createObjectNode();
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("timezone", zone.getId());
    return out;
  }

  private static ObjectNode schoolFields(ObjectNode o, String school, JsonNode record) {
    o.put("school", school);
    o.put("school_name", record == null ? school : record.path("school_name").asText(school));
    JsonNode h = record == null ? null : record.path("health");
    o.put("status", h != null && h.isObject() ? h.path("status").asText(null) : null);
    o.put("status_time", h != null && h.isObject() ? h.path("time").asText(null) : null);
    return o;
  }

  private static void days(ObjectNode out, Map<String, Tally> byDay) {
    ArrayNode days = out.putArray("days");
    byDay.forEach(
        (d, t) -> {
          ObjectNode o = days.addObject();
          o.put("day", d);
          o.put("attempts", t.blocks);
          o.put("instructional_attempts", t.instructional);
        });
  }

  private static java.util.stream.Stream<Map.Entry<String, Tally>> top(
      Map<String, Tally> groups, Comparator<Tally> order) {
    return groups.entrySet().stream()
        .sorted(Map.Entry.<String, Tally>comparingByValue(order).thenComparing(Map.Entry::getKey))
        .limit(TOP);
  }

  /**
   * Bell periods as a timetable lists them: numbered periods in number order, then named blocks by
   * name.
   */
  private static String periodOrder(String p) {
    return p.matches("\\d{1,9}")
        ? String.format(java.util.Locale.ROOT, "0%09d", Integer.parseInt(p))
        : "1" + p;
  }
}
