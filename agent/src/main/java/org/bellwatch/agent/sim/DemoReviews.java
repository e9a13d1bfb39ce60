package org.bellwatch.agent.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The unblock requests and IT's answers that {@code scripts/demo} records through the console's API
 * once the agent runs, so that the review pages and the decision queue start with one review in
 * each state: the video site unblocked for the sections that used it most, for a limited time
 * (expiring soon), the newspaper answered with an alternative, the puzzle game kept blocked, the
 * coding site asked for by its teacher and awaiting IT, and the encyclopedia (rising in the last
 * two weeks) not asked for yet. Each request names the sections where the term's truth has the most
 * blocks of that site during class.
 *
 * <p>{@code demo-reviews.tsv}: one step per line, {@code actor TAB path TAB json}, where the actor
 * is {@code coordinator}, {@code admin} or {@code teacher:USERNAME} (a roster teacher; the demo
 * makes an account of that name).
 */
final class DemoReviews {
  static final int MAX_SECTIONS = 6;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Map<String, Integer>> during = new HashMap<>();
  private final List<String> steps = new ArrayList<>();

  private DemoReviews(List<Map<String, Object>> truth) {
    for (Map<String, Object> e : truth) {
      Object section = e.get("section");
      if (Boolean.TRUE.equals(e.get("instructional")) && section != null) {
        during
            .computeIfAbsent((String) e.get("domain"), k -> new HashMap<>())
            .merge((String) section, 1, Integer::sum);
      }
    }
  }

  static void write(School school, LocalDate end, List<Map<String, Object>> truth, Path file)
      throws IOException {
    DemoReviews d = new DemoReviews(truth);
    LocalDate next = end.plusDays(1);
    while (TermSimulator.weekend(next)) {
      next = next.plusDays(1);
    }
    LocalDate semester = end.plusWeeks(6).with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
    List<String> video = d.top(TermCatalog.YOUTUBE.host(), s -> true);
    if (d.request(
        "coordinator",
        TermCatalog.YOUTUBE.host(),
        null,
        video,
        next,
        semester,
        "Science and music lessons link to short videos on YouTube (lab demonstrations, listening examples);"
            + " when the link is blocked the class loses the first minutes of the activity.")) {
      d.decide(
          TermCatalog.YOUTUBE.host(),
          "time_limited",
          "sections",
          video,
          end.plusDays(10),
          null,
          "Unblocked for these sections during their class periods until the end of the unit; Restricted Mode stays"
              + " on. We review it with the teachers before it expires.");
    }
    List<String> news = d.top(TermCatalog.NEWS.host(), s -> true);
    if (d.request(
        "coordinator",
        TermCatalog.NEWS.host(),
        null,
        news,
        next,
        semester,
        "Current-events Fridays in Civics, U.S. History and English read New York Times articles.")) {
      d.decide(
          TermCatalog.NEWS.host(),
          "alternative",
          "sections",
          news,
          null,
          "Students read the same articles through the library's newspaper database (single sign-on); the"
              + " librarian posts the links in Classroom.",
          "The public site shows advertising and trackers we cannot filter; the database has the same articles.");
    }
    List<String> puzzles = d.top(TermCatalog.COOLMATH.host(), s -> true);
    if (d.request(
        "coordinator",
        TermCatalog.COOLMATH.host(),
        null,
        puzzles,
        next,
        semester,
        "Logic-puzzle Fridays in Pre-Algebra use two puzzle games from this site.")) {
      d.decide(
          TermCatalog.COOLMATH.host(),
          "kept_blocked",
          "everyone",
          List.of(),
          null,
          null,
          "Games stay blocked: the site has advertising, chat and hundreds of unrelated games. Desmos and the"
              + " puzzles in the math curriculum are allowed.");
    }
    School.Person coder =
        school.sections.stream()
            .filter(s -> s.course().title().equals("Computer Science"))
            .findFirst()
            .orElseThrow()
            .teacher();
    List<String> own =
        d.top(
            TermCatalog.REPLIT.host(),
            s ->
                school.sections.stream()
                    .anyMatch(x -> x.sourcedId().equals(s) && x.teacher() == coder));
    d.request(
        "teacher:" + coder.username(),
        TermCatalog.REPLIT.host(),
        "https://replit.com/@bwms-cs/",
        own,
        next,
        semester.plusWeeks(4),
        "Our Python unit runs on Replit starter projects in the Tuesday and Thursday labs;"
            + " students cannot open them.");
    Files.writeString(file, String.join("\n", d.steps) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * The sections (of those {@code mine} accepts) with the most blocks of {@code domain} during
   * class.
   */
  private List<String> top(String domain, Predicate<String> mine) {
    List<Map.Entry<String, Integer>> ranked =
        new ArrayList<>(during.getOrDefault(domain, Map.of()).entrySet());
    ranked.removeIf(e -> !mine.test(e.getKey()));
    ranked.sort(
        (a, b) ->
            a.getValue().equals(b.getValue())
                ? a.getKey().compareTo(b.getKey())
                : Integer.compare(b.getValue(), a.getValue()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ranked.size() && i < MAX_SECTIONS; i++) {
      out.add(ranked.get(i).getKey());
    }
    return out;
  }

  /** Adds a request step; false (nothing added) when no section had such blocks. */
  private boolean request(
      String actor,
      String domain,
      String urlPrefix,
      List<String> sections,
      LocalDate from,
      LocalDate until,
      String reason)
      throws IOException {
    if (sections.isEmpty()) {
      return false;
    }
    ObjectNode body = json.createObjectNode().put("reason", reason);
    if (urlPrefix != null) {
      body.put("url_prefix", urlPrefix);
    }
    sections.forEach(body.putArray("sections")::add);
    body.put("need_from", from.toString()).put("need_until", until.toString());
    step(actor, domain, "request", body);
    return true;
  }

  private void decide(
      String domain,
      String decision,
      String scope,
      List<String> sections,
      LocalDate until,
      String alternative,
      String reason)
      throws IOException {
    ObjectNode body =
        json.createObjectNode().put("decision", decision).put("reason", reason).put("scope", scope);
    if (!sections.isEmpty()) {
      sections.forEach(body.putArray("sections")::add);
    }
    if (until != null) {
      body.put("until", until.toString());
    }
    if (alternative != null) {
      body.put("alternative", alternative);
    }
    step("admin", domain, "decision", body);
  }

  private void step(String actor, String domain, String action, ObjectNode body)
      throws IOException {
    steps.add(
        actor
            + "\t/api/v1/reviews/"
            + domain
            + "/"
            + action
            + "\t"
            + json.writeValueAsString(body));
  }
}
