package org.bellwatch.agent.hub;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.ShiftedClock;
import org.bellwatch.agent.web.Passwords;

/**
 * A small district on a real Kafka broker for the hub's console tests: three schools (Adams
 * Elementary and Baker Middle in Chicago, Carver High in Denver) whose agents export a week of
 * blocks (Monday 2026-09-14 to Friday) and their review requests, and a hub reading them, with a
 * district IT account and a coordinator of Baker Middle. Every block is listed below, so the
 * district's figures are known:
 *
 * <ul>
 *   <li>video.example.org blocks class in all three schools: 7 lessons (Adams 3, Baker 2, Carver
 *       2), 9 attempts;
 *   <li>docs.example.com in Baker (2 lessons) and Carver (1): 3 lessons, 4 attempts;
 *   <li>each school also has a site of its own, and games.example.com at lunch (not during class);
 *   <li>Adams has a hostile domain name, blocked during class in a room no roster names.
 * </ul>
 *
 * Adams and Carver ask for video.example.org, Baker for docs.example.com.
 */
public final class ThreeSchools implements AutoCloseable {
  public static final String IT = "district.it";
  public static final String BAKER_COORD = "baker.coord";
  public static final String PASSWORD = "district console pw 1";
  public static final String HOSTILE_DOMAIN = "<img src=x onerror=alert(1)>.example";
  public static final LocalDate MONDAY = LocalDate.parse("2026-09-14");
  public static final ZoneId DISTRICT_ZONE = ZoneId.of("America/Chicago");

  /**
   * The hub's clock starts at Friday of the test week after school: its decisions are made then.
   */
  public static final Instant NOW = Instant.parse("2026-09-18T22:00:00Z");

  /** The blocks each school stores, and so the hub's total. */
  public static final int ADAMS_BLOCKS = 10;

  public static final int BAKER_BLOCKS = 8;
  public static final int CARVER_BLOCKS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  public final DistrictSite adams;
  public final DistrictSite baker;
  public final DistrictSite carver;
  public final Hub hub;
  private final List<AutoCloseable> open = new ArrayList<>();

  private ThreeSchools(Path dir, String prefix, KafkaBrokers kafka) throws Exception {
    kafka.createDistrictTopics(prefix, List.of("adams-es", "baker-ms", "carver-hs"), 1, 1);
    String bootstrap = kafka.bootstrapServers();
    adams =
        keep(
            new DistrictSite(
                "adams-es",
                "Adams Elementary",
                DISTRICT_ZONE,
                dir.resolve("adams"),
                prefix,
                bootstrap));
    baker =
        keep(
            new DistrictSite(
                "baker-ms",
                "Baker Middle",
                DISTRICT_ZONE,
                dir.resolve("baker"),
                prefix,
                bootstrap));
    ZoneId denver = ZoneId.of("America/Denver");
    carver =
        keep(
            new DistrictSite(
                "carver-hs", "Carver High", denver, dir.resolve("carver"), prefix, bootstrap));
    adams.store.append(
        List.of(
            lesson(
                adams,
                0,
                1,
                "video.example.org",
                "a-read-1",
                "Reading 1",
                "ms.alvarez",
                "RM101",
                0),
            lesson(
                adams,
                0,
                1,
                "video.example.org",
                "a-read-1",
                "Reading 1",
                "ms.alvarez",
                "RM101",
                7),
            lesson(adams, 1, 2, "video.example.org", "a-math-2", "Math 2", "mr.brooks", "RM102", 0),
            lesson(
                adams,
                2,
                1,
                "video.example.org",
                "a-read-1",
                "Reading 1",
                "ms.alvarez",
                "RM101",
                0),
            lesson(
                adams, 3, 3, "adams-reading.example", "a-sci-3", "Science 3", "ms.chu", "RM103", 0),
            lesson(
                adams, 3, 3, "adams-reading.example", "a-sci-3", "Science 3", "ms.chu", "RM103", 9),
            lesson(adams, 1, 2, HOSTILE_DOMAIN, null, null, null, null, 5),
            lunch(adams, 0, "games.example.com", 0),
            lunch(adams, 1, "games.example.com", 0),
            lunch(adams, 2, "games.example.com", 0)));
    baker.store.append(
        List.of(
            lesson(baker, 0, 1, "video.example.org", "b-hist-1", "History 7", "mr.diaz", "B201", 0),
            lesson(baker, 4, 2, "video.example.org", "b-eng-2", "English 7", "ms.evans", "B202", 0),
            lesson(baker, 1, 1, "docs.example.com", "b-hist-1", "History 7", "mr.diaz", "B201", 0),
            lesson(baker, 1, 1, "docs.example.com", "b-hist-1", "History 7", "mr.diaz", "B201", 12),
            lesson(baker, 2, 3, "docs.example.com", "b-sci-3", "Science 7", "ms.fox", "B203", 0),
            lesson(
                baker, 3, 2, "baker-math.example", "b-eng-2", "English 7", "ms.evans", "B202", 0),
            lunch(baker, 0, "games.example.com", 0),
            lunch(baker, 3, "games.example.com", 0)));
    carver.store.append(
        List.of(
            lesson(carver, 1, 1, "video.example.org", "c-bio-1", "Biology", "dr.green", "C301", 0),
            lesson(carver, 1, 1, "video.example.org", "c-bio-1", "Biology", "dr.green", "C301", 20),
            lesson(
                carver, 3, 2, "video.example.org", "c-chem-2", "Chemistry", "mr.hill", "C302", 0),
            lesson(carver, 2, 2, "docs.example.com", "c-chem-2", "Chemistry", "mr.hill", "C302", 0),
            lesson(carver, 4, 3, "carver-chem.example", "c-phys-3", "Physics", "ms.ito", "C303", 0),
            lesson(carver, 4, 3, "carver-chem.example", "c-phys-3", "Physics", "ms.ito", "C303", 4),
            lunch(carver, 0, "games.example.com", 0),
            lunch(carver, 1, "games.example.com", 0),
            lunch(carver, 2, "games.example.com", 0),
            lunch(carver, 4, "games.example.com", 0)));
    ask(adams, "video.example.org", "Our reading lessons use its read-aloud videos", 1);
    ask(carver, "video.example.org", "Biology labs are recorded there", 2);
    ask(baker, "docs.example.com", "History projects are written in it", 3);
    hub = keep(Hub.start(config(prefix, dir.resolve("hub"), kafka), new ShiftedClock(NOW)));
    await("every block and request at the hub")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get(IT, "/api/v1/district/blocks?limit=5000").path("total").asInt()
                        == ADAMS_BLOCKS + BAKER_BLOCKS + CARVER_BLOCKS
                    && get(IT, "/api/v1/district/requests").path("requests").size() == 3);
  }

  /**
   * The district on {@code kafka} under topics named {@code prefix}.*, with its stores under {@code
   * dir}.
   */
  public static ThreeSchools start(Path dir, String prefix, KafkaBrokers kafka) throws Exception {
    return new ThreeSchools(dir, prefix, kafka);
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  private static HubConfig config(String prefix, Path store, KafkaBrokers kafka) {
    KafkaLink link =
        new KafkaLink(
            List.of(kafka.bootstrapServers()),
            prefix,
            null,
            null,
            "PLAINTEXT",
            null,
            null,
            null,
            null,
            Duration.ofSeconds(10),
            1_000);
    String hash = Passwords.hash(PASSWORD.toCharArray(), 1000);
    return new HubConfig(
        "Springfield Public Schools",
        link,
        prefix + "-hub",
        store,
        InetAddress.getLoopbackAddress(),
        0,
        List.of(
            new HubConfig.Account(IT, "district_it", null, hash),
            new HubConfig.Account(BAKER_COORD, "school_coordinator", "baker-ms", hash)),
        DISTRICT_ZONE);
  }

  /** The instant of a school-local time on a day of the week (0 = Monday). */
  private static Instant at(DistrictSite site, int weekday, LocalTime time) {
    ZoneId zone = site.id.equals("carver-hs") ? ZoneId.of("America/Denver") : DISTRICT_ZONE;
    return ZonedDateTime.of(MONDAY.plusDays(weekday), time, zone).toInstant();
  }

  private static int clients;

  /**
   * A block during bell period {@code period} (8:00 + one hour a period, school time), in a class
   * or room unknown.
   */
  private static BlockEvent lesson(
      DistrictSite site,
      int weekday,
      int period,
      String domain,
      String section,
      String course,
      String teacher,
      String room,
      int minute) {
    int n = ++clients;
    return new BlockEvent(
        at(site, weekday, LocalTime.of(7 + period, 5 + minute)),
        "10.9." + (n / 200) + "." + (n % 200 + 1),
        null,
        room == null ? null : room + "-CB" + n,
        "student" + n,
        domain,
        null,
        domain.startsWith("video") ? "Streaming Media" : "Education",
        "dns",
        "dns-sinkhole",
        room,
        section,
        course,
        teacher,
        String.valueOf(period),
        true,
        List.of("dns: answer 0.0.0.0"));
  }

  private static BlockEvent lunch(DistrictSite site, int weekday, String domain, int minute) {
    int n = ++clients;
    return new BlockEvent(
        at(site, weekday, LocalTime.of(12, 10 + minute)),
        "10.9." + (n / 200) + "." + (n % 200 + 1),
        null,
        null,
        "student" + n,
        domain,
        null,
        "Games",
        "dns",
        "dns-sinkhole",
        null,
        null,
        null,
        null,
        "Lunch",
        false,
        List.of("dns: answer 0.0.0.0"));
  }

  /**
   * A teacher at the school asks for a review of the domain; the school's agent sends the request
   * up.
   */
  private static void ask(DistrictSite site, String domain, String reason, int day)
      throws Exception {
    Instant t = at(site, day, LocalTime.of(15, 30));
    site.store
        .console()
        .reviews()
        .append(
            domain,
            new Review.Entry(
                t,
                "teacher." + site.id,
                "teacher",
                Review.REQUESTED,
                reason,
                List.of("sec-" + site.id),
                null,
                null,
                null,
                null,
                null,
                null),
            new AuditEntry(t, "teacher." + site.id, "review_requested", domain, "test", null));
  }

  /** The hub's answer to a GET with HTTP Basic sign-in as {@code user}. */
  public JsonNode get(String user, String path) throws Exception {
    return JSON.readTree(send(user, path).body());
  }

  public HttpResponse<String> send(String user, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base() + path))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  public String base() {
    return "http://127.0.0.1:" + hub.port();
  }

  /** The range of the test week in the district's zone, as query parameters. */
  public static String week() {
    return "from="
        + MONDAY.atStartOfDay(DISTRICT_ZONE).toInstant()
        + "&to="
        + MONDAY.plusDays(7).atStartOfDay(DISTRICT_ZONE).toInstant();
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }
}
