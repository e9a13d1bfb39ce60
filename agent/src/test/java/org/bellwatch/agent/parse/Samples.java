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
 * by us in each vendor's documented format (no vendor or third-party log is copied here).
 */
public final class Samples {
  /** UTC, and a reference instant in the week after the samples (2026-09-15) for year-less times. */
  public static final ParseContext UTC = new ParseContext(ZoneOffset.UTC,
      InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z")));

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
