package org.bellwatch.agent.ingest.tail;

/**
 * A position in a tailed file's content and a check of what precedes it: {@code check} is the
 * CRC-32 of the (at most) {@link FileTailer#CHECK_BYTES} content bytes before {@code offset}. A
 * restart resumes at a stored mark only when the file still holds those bytes there, so a different
 * file that merely starts with the same line (Windows DHCP logs reuse their header every week) is
 * read from its start instead.
 *
 * <p>{@link #END} marks a {@code .gz} file read to its end: it is never read again.
 */
public record Mark(long offset, long check) {
  public static final Mark START = new Mark(0, 0);
  public static final Mark END = new Mark(Long.MAX_VALUE, 0);
}
