package org.bellwatch.agent.parse.vendors;

import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;

/**
 * A parser of either kind of {@link Vendor}, seen as one: a line in, a {@link ParsedRecord} (or
 * null) out.
 */
public interface RecordParser {
  ParsedRecord parse(String line) throws MalformedException;

  /** The parser of {@code vendor}, whichever kind of records it yields. */
  static RecordParser of(Vendor vendor, ParseContext context) {
    if (vendor.kind() == Vendor.Kind.LEASE) {
      LeaseLogParser p = vendor.newLeaseParser(context);
      return p::parse;
    }
    LogParser p = vendor.newParser(context);
    return p::parse;
  }
}
