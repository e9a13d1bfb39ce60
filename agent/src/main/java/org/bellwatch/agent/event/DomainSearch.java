package org.bellwatch.agent.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Domain Search option (119, RFC 3397 section 2): DNS names in wire format (RFC 1035 section
 * 3.1), one after another, compressed with pointers (RFC 1035 section 4.1.4) that count from the
 * start of the option's data, every instance of the option concatenated first (RFC 3396 section 7).
 *
 * <p>A pointer must point before the previous one in its name (before itself, for the first):
 * compression points back at earlier occurrences, so a valid list always does, and a loop cannot.
 * Labels are printable ASCII without dots, at most 63 bytes; a name at most 255 bytes. The root
 * name (a lone zero) is no domain and is skipped.
 */
public final class DomainSearch {
  private static final int MAX_NAME = 255;

  private DomainSearch() {}

  /** The names of a whole option value. */
  public static List<String> decode(byte[] data) throws MalformedException {
    return decode(data, false);
  }

  /**
   * The names that lie whole in {@code prefix}, the start of an option value (a server's log shows
   * only the first bytes): a name cut off by its end ends the list.
   */
  public static List<String> completeNames(byte[] prefix) throws MalformedException {
    return decode(prefix, true);
  }

  private static List<String> decode(byte[] data, boolean prefix) throws MalformedException {
    List<String> names = new ArrayList<>();
    int p = 0;
    while (p < data.length) {
      StringBuilder name = new StringBuilder();
      int q = p;
      int next = -1;
      int limit = Integer.MAX_VALUE;
      while (true) {
        if (q >= data.length) {
          return cutOff(prefix, names);
        }
        int len = data[q] & 0xff;
        if (len == 0) {
          next = next < 0 ? q + 1 : next;
          break;
        }
        if ((len & 0xc0) == 0xc0) {
          if (q + 1 >= data.length) {
            return cutOff(prefix, names);
          }
          int target = (len & 0x3f) << 8 | data[q + 1] & 0xff;
          if (target >= Math.min(q, limit)) {
            throw new MalformedException("dhcp_bad_domain_search");
          }
          next = next < 0 ? q + 2 : next;
          limit = target;
          q = target;
          continue;
        }
        if (len > 63) {
          throw new MalformedException("dhcp_bad_domain_search");
        }
        if (q + 1 + len > data.length) {
          return cutOff(prefix, names);
        }
        for (int i = q + 1; i <= q + len; i++) {
          if (data[i] <= ' ' || data[i] >= 0x7f || data[i] == '.') {
            throw new MalformedException("dhcp_bad_domain_search");
          }
        }
        if (name.length() + len + 1 > MAX_NAME) {
          throw new MalformedException("dhcp_bad_domain_search");
        }
        if (name.length() > 0) {
          name.append('.');
        }
        name.append(new String(data, q + 1, len, StandardCharsets.US_ASCII));
        q += 1 + len;
      }
      if (name.length() > 0) {
        names.add(name.toString());
      }
      p = next;
    }
    return names;
  }

  /** The data ends inside a name: the names before it for a prefix, else malformed. */
  private static List<String> cutOff(boolean prefix, List<String> names) throws MalformedException {
    if (!prefix) {
      throw new MalformedException("dhcp_bad_domain_search");
    }
    return names;
  }
}
