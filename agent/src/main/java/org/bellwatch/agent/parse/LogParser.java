package org.bellwatch.agent.parse;

import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;

/**
 * Parses one log line of one web-filter format into a {@link FilterEvent}. A pure function of the
 * line and the {@link ParseContext} the parser was made with: no I/O, no clock of its own, no
 * logger. Lines that are valid but carry no request (comments, blank lines, other log types) return
 * null; lines that cannot be understood throw {@link MalformedException} with a bounded reason.
 * Parsers are not thread-safe; make one per source.
 */
public interface LogParser {
  FilterEvent parse(String line) throws MalformedException;
}
