package org.bellwatch.agent.csv;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * The one CSV dialect of the agent's files, read and written: RFC 4180 (comma, double quote, a
 * quote inside a quoted field written twice, CRLF between records; section 2), on Apache Commons
 * CSV.
 */
public final class Rfc4180 {
  /**
   * Reading site files as SIS exports and spreadsheets really write them, leniently where the
   * meaning is plain and strictly where data would be lost: blank lines stay records (the table
   * skips them) so each record's line number stays exact; spaces around a quoted field are dropped
   * ({@code a, "b, c"}); text after a closing quote is kept with the field ({@code "Smith, J" Jr}),
   * as the reader before this one did; a quote left open at the end of the file is an error, never
   * a silently joined rest of the file.
   */
  public static final CSVFormat READ =
      CSVFormat.RFC4180
          .builder()
          .setIgnoreEmptyLines(false)
          .setIgnoreSurroundingSpaces(true)
          .setTrailingData(true)
          .setLenientEof(false)
          .get();

  /**
   * Writing exports: fields quoted only where RFC 4180 needs it (and where a reader could misread
   * the start).
   */
  public static final CSVFormat WRITE =
      CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.MINIMAL).get();

  private Rfc4180() {}
}
