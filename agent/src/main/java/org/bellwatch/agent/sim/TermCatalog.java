package org.bellwatch.agent.sim;

import java.time.DayOfWeek;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the simulated term's school teaches and what its web filter blocks: one course per room, the
 * names its people are drawn from, the blocked sites with their FortiGuard categories, and which
 * courses' lessons link to which blocked site how often.
 */
final class TermCatalog {

  private TermCatalog() {}

  /**
   * One course per room (RM101, RM102, ...): a middle school's subjects, and a Computer Science
   * elective.
   */
  static final List<School.Course> COURSES =
      List.of(
          course("pre-algebra", "Pre-Algebra", "MA-PA", "Mathematics"),
          course("algebra-1", "Algebra I", "MA-A1", "Mathematics"),
          course("geometry", "Geometry", "MA-GE", "Mathematics"),
          course("ela", "English Language Arts", "EN-LA", "English Language Arts"),
          course("reading", "Reading Workshop", "EN-RW", "English Language Arts"),
          course("writing", "Creative Writing", "EN-CW", "English Language Arts"),
          course("life-science", "Life Science", "SC-LS", "Science"),
          course("physical-science", "Physical Science", "SC-PS", "Science"),
          course("earth-science", "Earth Science", "SC-ES", "Science"),
          course("world-history", "World History", "HI-WH", "History-Social Science"),
          course("us-history", "U.S. History", "HI-US", "History-Social Science"),
          course("civics", "Civics", "HI-CV", "History-Social Science"),
          course("spanish-1", "Spanish I", "WL-S1", "World Languages"),
          course("spanish-2", "Spanish II", "WL-S2", "World Languages"),
          course("art", "Art", "AR-VA", "Visual and Performing Arts"),
          course("music", "Music", "AR-MU", "Visual and Performing Arts"),
          course("computer-science", "Computer Science", "CS-IN", "Computer Science"),
          course("health", "Health", "PE-HE", "Health"));

  private static School.Course course(String id, String title, String code, String subject) {
    return new School.Course("crs-" + id, title, code, subject);
  }

  static final List<String> GIVEN =
      List.of(
          "Ava",
          "Liam",
          "Mia",
          "Noah",
          "Sofia",
          "Mateo",
          "Chloe",
          "Ethan",
          "Isabella",
          "Lucas",
          "Emma",
          "Diego",
          "Aaliyah",
          "Kai",
          "Zoe",
          "Jayden",
          "Layla",
          "Omar",
          "Priya",
          "Hiro",
          "Camila",
          "Elijah",
          "Nora",
          "Ravi",
          "Grace",
          "Tomas",
          "Leah",
          "Malik",
          "Hannah",
          "Minh",
          "Ximena",
          "Owen",
          "Ruby",
          "Andre",
          "Yuna",
          "Caleb",
          "Amara",
          "Benjamin",
          "Carmen",
          "Daniel",
          "Esperanza",
          "Farah",
          "Gabriel",
          "Hana",
          "Imani",
          "Javier",
          "Keira",
          "Luca",
          "Maya",
          "Nikhil",
          "Olivia",
          "Pablo",
          "Quinn",
          "Rosa",
          "Samuel",
          "Talia",
          "Uma",
          "Victor",
          "Wen",
          "Yusuf",
          "Zara",
          "Adrian",
          "Bianca",
          "Cyrus",
          "Dalia",
          "Emeka",
          "Fiona",
          "Gustavo",
          "Ines",
          "Jonah",
          "Kiran",
          "Lucia",
          "Mason",
          "Naomi",
          "Sebastian",
          "Valentina");

  static final List<String> FAMILY =
      List.of(
          "Nguyen",
          "Garcia",
          "Smith",
          "Patel",
          "Kim",
          "Lopez",
          "Johnson",
          "Chen",
          "Martinez",
          "Brown",
          "Singh",
          "Hernandez",
          "Davis",
          "Tran",
          "Wilson",
          "Ramirez",
          "Lee",
          "Okafor",
          "Anderson",
          "Flores",
          "Yamamoto",
          "Rivera",
          "Cohen",
          "Ali",
          "Torres",
          "Murphy",
          "Silva",
          "Park",
          "Gonzalez",
          "Reyes",
          "Abebe",
          "Bautista",
          "Castillo",
          "Dubois",
          "Espinoza",
          "Fischer",
          "Gupta",
          "Haddad",
          "Ibrahim",
          "Jensen",
          "Kowalski",
          "Larsen",
          "Mendoza",
          "Nakamura",
          "O'Brien",
          "Petrov",
          "Quintero",
          "Rossi",
          "Sato",
          "Thompson",
          "Usman",
          "Vasquez",
          "Walker",
          "Xu",
          "Young",
          "Zhang",
          "Morales",
          "Ortiz",
          "Sanchez",
          "Wong");

  /**
   * A blocked site as the FortiGate blocks it: by category ({@code ftgd_blk}) or by the static URL
   * filter ({@code urlfilter}), with the paths students ask for.
   */
  record Site(String host, String category, String eventType, List<String> paths) {
    String path(SplittableRandom rnd) {
      return paths.get(rnd.nextInt(paths.size()));
    }
  }

  static final Site YOUTUBE =
      new Site(
          "www.youtube.com",
          "Streaming Media and Download",
          "ftgd_blk",
          List.of(
              "/watch?v=x7X9w_GIm1s",
              "/watch?v=URUJD5NEXC8",
              "/watch?v=wbR-5mHI6bo",
              "/watch?v=8IlzKri08kk",
              "/watch?v=QnQe0xW_JY4",
              "/watch?v=H8WJ2KENlK0",
              "/watch?v=ysz5S6PUM-U",
              "/embed/2lXh2n0aPyw"));
  static final Site REPLIT =
      new Site(
          "replit.com",
          "Proxy Avoidance",
          "ftgd_blk",
          List.of(
              "/@bwms-cs/turtle-art",
              "/@bwms-cs/guess-the-number",
              "/@bwms-cs/text-adventure",
              "/@bwms-cs/caesar-cipher",
              "/@bwms-cs/weather-station"));
  static final Site NEWS =
      new Site(
          "www.nytimes.com",
          "News and Media",
          "ftgd_blk",
          List.of(
              "/section/us/politics",
              "/section/climate",
              "/section/science",
              "/section/technology",
              "/section/education"));
  static final Site WIKI =
      new Site(
          "en.wikipedia.org",
          "Reference",
          "urlfilter",
          List.of(
              "/wiki/Silk_Road",
              "/wiki/Mali_Empire",
              "/wiki/Byzantine_Empire",
              "/wiki/Plate_tectonics",
              "/wiki/Water_cycle",
              "/wiki/Aztec_Empire",
              "/wiki/Ming_dynasty",
              "/wiki/Volcano"));
  static final Site COOLMATH =
      new Site(
          "www.coolmathgames.com",
          "Games",
          "ftgd_blk",
          List.of(
              "/0-bloxorz",
              "/0-lemonade-stand",
              "/0-sugar-sugar",
              "/0-run-3",
              "/0-papas-pizzeria"));

  /** Games and social media, the sites tried off task; weights for class time and for phones. */
  record OffTask(Site site, int inClass, int onPhones) {}

  static final List<OffTask> OFF_TASK =
      List.of(
          new OffTask(
              new Site(
                  "www.roblox.com", "Games", "ftgd_blk", List.of("/", "/games/920587237", "/home")),
              20,
              12),
          new OffTask(COOLMATH, 14, 3),
          new OffTask(
              new Site(
                  "poki.com",
                  "Games",
                  "ftgd_blk",
                  List.of("/", "/en/g/subway-surfers", "/en/g/temple-run-2")),
              12,
              5),
          new OffTask(
              new Site(
                  "www.crazygames.com", "Games", "ftgd_blk", List.of("/", "/game/shell-shockers")),
              10,
              5),
          new OffTask(
              new Site("store.steampowered.com", "Games", "ftgd_blk", List.of("/", "/app/730/")),
              6,
              2),
          new OffTask(
              new Site(
                  "www.tiktok.com",
                  "Social Networking",
                  "ftgd_blk",
                  List.of("/", "/foryou", "/explore")),
              10,
              22),
          new OffTask(
              new Site(
                  "www.instagram.com",
                  "Social Networking",
                  "ftgd_blk",
                  List.of("/", "/explore/", "/reels/")),
              6,
              20),
          new OffTask(
              new Site("www.snapchat.com", "Social Networking", "ftgd_blk", List.of("/", "/web")),
              5,
              17),
          new OffTask(
              new Site(
                  "discord.com", "Instant Messaging", "ftgd_blk", List.of("/app", "/channels/@me")),
              9,
              9),
          new OffTask(
              new Site(
                  "www.twitch.tv",
                  "Streaming Media and Download",
                  "ftgd_blk",
                  List.of("/", "/directory")),
              8,
              5));

  /**
   * A kind of lesson a course teaches with a blocked site: how likely a section's class is to use
   * it on a day, by weekday and week of the term (0 to 3).
   */
  record Lesson(
      Site site,
      double chance,
      double friday,
      int fromWeek,
      DayOfWeek[] labDays,
      double labChance) {
    double chance(DayOfWeek day, int week) {
      if (week < fromWeek) {
        return 0;
      }
      for (DayOfWeek lab : labDays) {
        if (lab == day) {
          return labChance;
        }
      }
      return day == DayOfWeek.FRIDAY ? friday : chance;
    }
  }

  private static Lesson daily(Site site, double chance, double friday) {
    return new Lesson(site, chance, friday, 0, new DayOfWeek[0], 0);
  }

  /** Research projects start in the third week. */
  private static Lesson project(Site site, double chance) {
    return new Lesson(site, chance, chance, 2, new DayOfWeek[0], 0);
  }

  /**
   * The lessons of each course, in {@link #COURSES} order: videos in science, languages and music;
   * a newspaper on current-events Fridays; the encyclopedia in the research project of the last two
   * weeks; the coding site on the Computer Science lab days; a puzzle game on Pre-Algebra Fridays.
   */
  static final List<List<Lesson>> LESSONS =
      List.of(
          List.of(daily(COOLMATH, 0.03, 0.35)),
          List.of(),
          List.of(daily(YOUTUBE, 0.04, 0.04)),
          List.of(daily(NEWS, 0.05, 0.30)),
          List.of(project(WIKI, 0.15), daily(YOUTUBE, 0.04, 0.04)),
          List.of(daily(YOUTUBE, 0.06, 0.06)),
          List.of(daily(YOUTUBE, 0.22, 0.10)),
          List.of(daily(YOUTUBE, 0.16, 0.10)),
          List.of(daily(YOUTUBE, 0.12, 0.08), project(WIKI, 0.10)),
          List.of(daily(YOUTUBE, 0.10, 0.06), project(WIKI, 0.20)),
          List.of(daily(NEWS, 0.08, 0.35), daily(YOUTUBE, 0.08, 0.05)),
          List.of(daily(NEWS, 0.15, 0.45)),
          List.of(daily(YOUTUBE, 0.10, 0.12)),
          List.of(daily(YOUTUBE, 0.07, 0.10)),
          List.of(daily(YOUTUBE, 0.05, 0.05)),
          List.of(daily(YOUTUBE, 0.14, 0.10)),
          List.of(
              new Lesson(
                  REPLIT,
                  0.20,
                  0.15,
                  0,
                  new DayOfWeek[] {DayOfWeek.TUESDAY, DayOfWeek.THURSDAY},
                  0.70)),
          List.of(daily(YOUTUBE, 0.05, 0.05)));

  /** Sites students look up on their own in class, one now and then: weights. */
  static final List<Site> LOOKED_UP = List.of(YOUTUBE, YOUTUBE, YOUTUBE, NEWS, WIKI);
}
