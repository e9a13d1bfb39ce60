package org.bellwatch.agent;

import com.tngtech.archunit.library.freeze.ViolationLineMatcher;
import java.util.regex.Pattern;

/**
 * How ArchitectureTest's frozen record recognises a violation it already holds (archunit.properties,
 * {@code freeze.lineMatcher}). Line numbers do not count, as with ArchUnit's own matcher, so editing a file
 * does not make its recorded violations new. A package cycle is known by the packages it runs through,
 * not by the dependencies listed under it: otherwise every new class that uses a type along the cycle (a
 * parser throwing MalformedException) would count as a new violation.
 */
public final class FrozenViolationMatcher implements ViolationLineMatcher {
  private static final Pattern LINE_NUMBER = Pattern.compile("\\.java:\\d+\\)");
  private static final String CYCLE = "Cycle detected: ";
  private static final String DETAILS = "1. Dependencies of ";

  @Override
  public boolean matches(String stored, String actual) {
    return key(stored).equals(key(actual));
  }

  private static String key(String violation) {
    if (violation.startsWith(CYCLE) && violation.contains(DETAILS)) {
      return violation.substring(0, violation.indexOf(DETAILS)).replaceAll("\\s+", " ");
    }
    return LINE_NUMBER.matcher(violation).replaceAll(".java:)");
  }
}
