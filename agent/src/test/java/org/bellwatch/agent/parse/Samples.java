package org.bellwatch.agent.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.FilterEvent;

/**
 * Our own sample lines, one folder per vendor under {@code src/test/resources/samples/<vendor>/}:
 * written by us in each vendor's documented format, or made by running the vendor's program
 * ourselves (unbound, bind9, e2guardian: {@code scripts/make-dns-filter-fixtures}; squidGuard); no
 * vendor or third-party log is copied here.
 *
 * <p>Tests address a sample by name, never by line number, so adding a sample changes no test. A
 * file we write holds one sample per block, easy to merge into:
 *
 * <pre>
 * # name: connect-denied-with-user
 * 1789489801.123     12 10.10.1.23 TCP_DENIED/403 3900 CONNECT www.example-games.com:443 alice ...
 * </pre>
 *
 * The line after a {@code # name: NAME} line is the sample, whatever it holds (even nothing: a
 * blank line a log really contains); other blank lines and {@code #} lines are for people. Every
 * sample has a name, names are lower-case words joined by hyphens and unique in their file ({@code
 * SamplesTest} checks every file). A log made by a program ({@link #PROGRAM_MADE}) stays as the
 * program wrote it, so tests address its lines by a fragment that must occur in exactly one line
 * ({@link #only}).
 */
public final class Samples {
  /**
   * UTC, and a reference instant in the week after the samples (2026-09-15) for year-less times.
   */
  public static final ParseContext UTC =
      new ParseContext(ZoneOffset.UTC, InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z")));

  /**
   * UTC, and a reference instant the day after {@code scripts/make-dns-filter-fixtures} ran
   * (2026-12-07), for the year-less times in the logs it made.
   */
  public static final ParseContext MADE_2026_12_07 =
      new ParseContext(ZoneOffset.UTC, InstantSource.fixed(Instant.parse("2026-12-08T00:00:00Z")));

  /**
   * The folders whose logs a program wrote (scripts/make-dns-filter-fixtures; squidGuard driven by
   * squid and curl, samples/squidguard/README.md): kept verbatim, without names.
   */
  public static final Set<String> PROGRAM_MADE =
      Set.of("bind9", "e2guardian", "squidguard", "unbound");

  static final String NAME_LINE = "# name: ";
  static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private Samples() {}

  /** The sample named {@code name} in {@code samples/<vendor>/<vendor>.log} (or {@code .csv}). */
  public static String line(String vendor, String name) {
    return line(vendor, file(vendor), name);
  }

  /** The sample named {@code name} in {@code samples/<folder>/<file>}. */
  public static String line(String folder, String file, String name) {
    String line = named(folder, file).get(name);
    if (line == null) {
      throw new IllegalArgumentException(
          "no sample named " + name + " in samples/" + folder + "/" + file);
    }
    return line;
  }

  /** The samples of {@code samples/<vendor>/<vendor>.log} (or {@code .csv}), in file order. */
  public static List<String> lines(String vendor) {
    return lines(vendor, file(vendor));
  }

  /** The samples of {@code samples/<folder>/<file>} in file order: a program's log line by line. */
  public static List<String> lines(String folder, String file) {
    return PROGRAM_MADE.contains(folder)
        ? text(folder, file)
        : List.copyOf(named(folder, file).values());
  }

  /**
   * The one line of a program's log {@code samples/<folder>/<file>} that contains {@code fragment};
   * a fragment ending in a newline matches the end of a line (for a line that another line begins
   * with).
   */
  public static String only(String folder, String file, String fragment) {
    List<String> found =
        text(folder, file).stream().filter(l -> (l + "\n").contains(fragment)).toList();
    if (found.size() != 1) {
      throw new IllegalArgumentException(
          found.size()
              + " lines of samples/"
              + folder
              + "/"
              + file
              + " contain "
              + fragment
              + ", not one: "
              + found);
    }
    return found.get(0);
  }

  /**
   * The named samples of a file we write, by name in file order; fails naming the line when a
   * sample has no name, a name is used twice or is not lower-case words joined by hyphens, or a
   * name names nothing.
   */
  public static Map<String, String> named(String folder, String file) {
    return named("samples/" + folder + "/" + file, text(folder, file));
  }

  /**
   * The named samples of {@code text}, read from {@code source}; see {@link #named(String,
   * String)}.
   */
  static Map<String, String> named(String source, List<String> text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < text.size(); i++) {
      String l = text.get(i);
      String where = source + " line " + (i + 1);
      if (l.startsWith(NAME_LINE)) {
        String name = l.substring(NAME_LINE.length());
        if (!NAME.matcher(name).matches()) {
          throw new IllegalStateException(
              where + ": the name " + name + " is not lower-case words joined by -");
        }
        if (i + 1 == text.size()) {
          throw new IllegalStateException(where + ": the name " + name + " names no sample");
        }
        if (out.put(name, text.get(++i)) != null) {
          throw new IllegalStateException(where + ": two samples are named " + name);
        }
      } else if (!l.isBlank() && !l.startsWith("#")) {
        throw new IllegalStateException(
            where + ": a sample without a name (put a \"" + NAME_LINE + "NAME\" line before it)");
      }
    }
    return out;
  }

  private static String file(String vendor) {
    boolean csv = Samples.class.getResource("/samples/" + vendor + "/" + vendor + ".csv") != null;
    return vendor + (csv ? ".csv" : ".log");
  }

  /** The lines of {@code samples/<folder>/<file>} as they are. */
  private static List<String> text(String folder, String file) {
    String name = "/samples/" + folder + "/" + file;
    try (InputStream in = Samples.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no sample file " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The records {@code parser} makes of the lines of {@code samples/<folder>/<file>}, in order. */
  public static List<FilterEvent> records(LogParser parser, String folder, String file)
      throws org.bellwatch.agent.event.MalformedException {
    List<FilterEvent> out = new java.util.ArrayList<>();
    for (String line : lines(folder, file)) {
      FilterEvent e = parser.parse(line);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  public static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  public static Instant at(String iso) {
    return Instant.parse(iso);
  }
}
