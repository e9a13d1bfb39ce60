package org.bellwatch.agent.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Assembles test packets by hand, big-endian unless told otherwise. */
public final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean little;

  public static Bytes of() {
    return new Bytes();
  }

  /** Switches the multi-byte writers to little-endian from here on. */
  public Bytes littleEndian() {
    little = true;
    return this;
  }

  public Bytes bigEndian() {
    little = false;
    return this;
  }

  public Bytes u8(int... v) {
    for (int x : v) {
      out.write(x);
    }
    return this;
  }

  public Bytes u16(int v) {
    return little ? u8(v & 0xff, (v >> 8) & 0xff) : u8((v >> 8) & 0xff, v & 0xff);
  }

  public Bytes u32(long v) {
    int x = (int) v;
    return little ? u16(x & 0xffff).u16(x >>> 16) : u16(x >>> 16).u16(x & 0xffff);
  }

  /** Hex digits, spaces and colons ignored: {@code hex("00 1b:21")}. */
  public Bytes hex(String s) {
    String h = s.replaceAll("[\\s:]", "");
    for (int i = 0; i < h.length(); i += 2) {
      out.write(Integer.parseInt(h.substring(i, i + 2), 16));
    }
    return this;
  }

  public Bytes ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  public Bytes bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  /** Uncompressed wire name, root label included; "" is the root. */
  public Bytes name(String dotted) {
    if (!dotted.isEmpty()) {
      for (String label : dotted.split("\\.")) {
        u8(label.length()).ascii(label);
      }
    }
    return u8(0);
  }

  /** A compression pointer to {@code offset}. */
  public Bytes pointer(int offset) {
    return u16(0xc000 | offset);
  }

  public Bytes zeros(int n) {
    return bytes(new byte[n]);
  }

  public int size() {
    return out.size();
  }

  public byte[] array() {
    return out.toByteArray();
  }

  public ByteBuffer buffer() {
    return ByteBuffer.wrap(array());
  }
}
