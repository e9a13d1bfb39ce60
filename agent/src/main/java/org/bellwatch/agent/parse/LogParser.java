package org.bellwatch.agent.parse;

import org.bellwatch.agent.decode.MalformedException;

/**
 * Parses one log line of one vendor format into a {@link FilterEvent}. A pure function: no I/O, no
 * clock, no logger. Lines that are valid but carry no request (comments, blank lines) return null;
 * lines that cannot be understood throw {@link MalformedException} with a bounded reason.
 */
public interface LogParser {
  FilterEvent parse(String line) throws MalformedException;
}
