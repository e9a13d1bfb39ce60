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
import java.util.List;

/**
 * Our own sample lines, one folder per vendor under {@code src/test/resources/samples/<vendor>/}: written
 * by us in each vendor's documented format, or made by running the vendor's program ourselves (unbound,
 * bind9, e2guardian: {@code scripts/make-dns-filter-fixtures}); no vendor or third-party log is copied here.
 */
public final class Samples {
  /** UTC, and a reference instant in the week after the samples (2026-09-15) for year-less times. */
  public static final ParseContext UTC = new ParseContext(ZoneOffset.UTC,
      InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z")));

  /**
   * UTC, and a reference instant the day after {@code scripts/make-dns-filter-fixtures} ran (2026-12-07), for
   * the year-less times in the logs it made.
   */
  public static final ParseContext MADE_2026_12_07 = new ParseContext(ZoneOffset.UTC,
      InstantSource.fixed(Instant.parse("2026-12-08T00:00:00Z")));

  private Samples() {
  }

  /** Line {@code n} (1-based) of {@code samples/<vendor>/<vendor>.log}. */
  public static String line(String vendor, int n) {
    return lines(vendor).get(n - 1);
  }

  /** The lines of {@code samples/<vendor>/<vendor>.log}, or of {@code <vendor>.csv} for CSV report imports. */
  public static List<String> lines(String vendor) {
    boolean csv = Samples.class.getResource("/samples/" + vendor + "/" + vendor + ".csv") != null;
    return lines(vendor, vendor + (csv ? ".csv" : ".log"));
  }

  /** The lines of {@code samples/<folder>/<file>}. */
  public static List<String> lines(String folder, String file) {
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
      throws org.bellwatch.agent.decode.MalformedException {
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
