package org.bellwatch.agent.parse;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.bellwatch.agent.parse.squid.SquidNativeParser;

/** Every supported log format, one line each: adding a vendor is one package, one line here, one samples folder. */
public enum Vendor {
  SQUID("squid", SquidNativeParser::new);

  private final String id;
  private final Supplier<LogParser> parser;

  Vendor(String id, Supplier<LogParser> parser) {
    this.id = id;
    this.parser = parser;
  }

  public String id() {
    return id;
  }

  public LogParser newParser() {
    return parser.get();
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
