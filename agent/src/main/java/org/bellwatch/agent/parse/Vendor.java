package org.bellwatch.agent.parse;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.bellwatch.agent.parse.squid.SquidNativeParser;

/**
 * Every supported log format, one line each: adding a vendor is one package, one line here, one samples
 * folder. Ids are stable: they appear in configuration ({@code logs.files[].vendor}) and in metrics tags.
 * A vendor yields either web-filter events ({@link #newParser}) or DHCP lease observations
 * ({@link #newLeaseParser}), never both.
 */
public enum Vendor {
  SQUID("squid", SquidNativeParser::new, null);

  /** What a vendor's log tells us. */
  public enum Kind {
    FILTER, LEASE
  }

  private final String id;
  private final Function<ParseContext, LogParser> filter;
  private final Function<ParseContext, LeaseLogParser> lease;

  Vendor(String id, Function<ParseContext, LogParser> filter, Function<ParseContext, LeaseLogParser> lease) {
    this.id = id;
    this.filter = filter;
    this.lease = lease;
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return filter != null ? Kind.FILTER : Kind.LEASE;
  }

  /** A new web-filter parser; parsers may keep bounded state between lines, so make one per source. */
  public LogParser newParser(ParseContext context) {
    if (filter == null) {
      throw new IllegalStateException(id + " is a DHCP server log, not a web-filter log");
    }
    return filter.apply(context);
  }

  /** A new DHCP server log parser. */
  public LeaseLogParser newLeaseParser(ParseContext context) {
    if (lease == null) {
      throw new IllegalStateException(id + " is a web-filter log, not a DHCP server log");
    }
    return lease.apply(context);
  }

  public static Vendor byId(String id) {
    for (Vendor v : values()) {
      if (v.id.equals(id)) {
        return v;
      }
    }
    return null;
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(Vendor::id).toList();
  }
}
