package org.bellwatch.agent.util;

/** The dotted-quad text of an IPv4 address, written as ASCII bytes into the caller's array. */
public final class Ipv4Text {
  /** The longest dotted quad, "255.255.255.255". */
  public static final int MAX_BYTES = 15;

  private Ipv4Text() {
  }

  /**
   * Writes the address held big-endian in {@code address} into {@code t} at {@code n}, each part in
   * decimal without leading zeros; returns the index after the last byte written.
   */
  public static int write(byte[] t, int n, int address) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      if (shift < 24) {
        t[n++] = '.';
      }
      int v = (address >>> shift) & 0xff;
      if (v >= 100) {
        t[n++] = (byte) ('0' + v / 100);
      }
      if (v >= 10) {
        t[n++] = (byte) ('0' + v / 10 % 10);
      }
      t[n++] = (byte) ('0' + v % 10);
    }
    return n;
  }
}
