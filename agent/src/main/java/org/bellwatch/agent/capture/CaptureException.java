package org.bellwatch.agent.capture;

/** Live capture could not start; the message names the interface and the libpcap error. */
public final class CaptureException extends Exception {
  public CaptureException(String message) {
    super(message, null, false, false);
  }
}
