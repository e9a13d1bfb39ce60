package org.bellwatch.agent.capture;

import java.io.IOException;

/**
 * A capture file that cannot be read as one: missing, unreadable, not pcap or pcapng, or corrupt.
 * An input error (the command line's exit status 2), not a failure of the agent; the message names
 * the file and says why.
 */
public final class CaptureFileException extends IOException {
  public CaptureFileException(String message) {
    super(message);
  }
}
