package org.bellwatch.agent.parse;

import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.MalformedException;

/**
 * Parses one line of a DHCP server log into a {@link LeaseObservation}; the same contract as {@link
 * LogParser}: pure, null for lines about nothing we use, {@link MalformedException} with a bounded
 * reason for lines we cannot read.
 */
public interface LeaseLogParser {
  LeaseObservation parse(String line) throws MalformedException;
}
