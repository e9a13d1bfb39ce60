package org.bellwatch.agent.config;

/**
 * A configuration error, already phrased for the operator: one line that names the file, the line,
 * the key and the offending value. The CLI prints {@link #getMessage()} and exits with status 2.
 */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
