package org.bellwatch.agent;

import com.tngtech.archunit.library.freeze.ViolationLineMatcher;
import java.util.regex.Pattern;

/**
 * How ArchitectureTest's frozen record recognises a violation it already holds
 * (archunit.properties, {@code freeze.lineMatcher}). Line numbers do not count, as with ArchUnit's
 * own matcher, so editing a file does not make its recorded violations new.
 */
public final class FrozenViolationMatcher implements ViolationLineMatcher {
  private static final Pattern LINE_NUMBER = Pattern.compile("\\.java:\\d+\\)");

  @Override
  public boolean matches(String stored, String actual) {
    return key(stored).equals(key(actual));
  }

  private static String key(String violation) {
    return LINE_NUMBER.matcher(violation).replaceAll(".java:)");
  }
}
