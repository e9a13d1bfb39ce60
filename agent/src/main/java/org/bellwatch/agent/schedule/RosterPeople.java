package org.bellwatch.agent.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The people of a roster as the console shows them: display names from OneRoster users.csv ({@code
 * givenName familyName}) and every {@code role=teacher} enrollment (OneRoster 1.1 section 4.6: a
 * class may have several teachers, one or more of them {@code primary}), both ways round: a
 * section's teachers, and a teacher's sections. Usernames are the roster's spelling; lookups ignore
 * case.
 */
final class RosterPeople {
  static final RosterPeople EMPTY = new Builder().build(Set.of());

  /** Lower-case username to display name; users whose names are both blank are absent. */
  private final Map<String, String> displayNames;

  /** Lower-case username to the e-mail address users.csv gives (OneRoster's optional email). */
  private final Map<String, String> emails;

  /**
   * Section id to its teachers' usernames: primary teachers first, then the others, each in file
   * order.
   */
  private final Map<String, List<String>> teachersBySection;

  /**
   * Lower-case username to the ids of the sections they teach: as a primary teacher first, then the
   * others.
   */
  private final Map<String, List<String>> sectionsByTeacher;

  private RosterPeople(
      Map<String, String> displayNames,
      Map<String, String> emails,
      Map<String, List<String>> teachersBySection,
      Map<String, List<String>> sectionsByTeacher) {
    this.displayNames = Map.copyOf(displayNames);
    this.emails = Map.copyOf(emails);
    this.teachersBySection = Map.copyOf(teachersBySection);
    this.sectionsByTeacher = Map.copyOf(sectionsByTeacher);
  }

  /** {@code givenName familyName} trimmed, one space between; null when both are blank. */
  static String displayName(String givenName, String familyName) {
    String name = (givenName.trim() + " " + familyName.trim()).trim();
    return name.isEmpty() ? null : name;
  }

  String displayName(String username) {
    return username == null ? null : displayNames.get(username.toLowerCase(Locale.ROOT));
  }

  String email(String username) {
    return username == null ? null : emails.get(username.toLowerCase(Locale.ROOT));
  }

  List<String> teachersOf(String sectionId) {
    return sectionId == null ? List.of() : teachersBySection.getOrDefault(sectionId, List.of());
  }

  List<String> sectionsTaughtBy(String username) {
    return username == null
        ? List.of()
        : sectionsByTeacher.getOrDefault(username.toLowerCase(Locale.ROOT), List.of());
  }

  /** Collects users and teacher enrollments while the loader reads the files. */
  static final class Builder {
    private final Map<String, String> displayNames = new HashMap<>();
    private final Map<String, String> emails = new HashMap<>();
    private final Map<String, List<String>> primary = new LinkedHashMap<>();
    private final Map<String, List<String>> others = new LinkedHashMap<>();

    void user(String username, String displayName, String email) {
      String key = username.toLowerCase(Locale.ROOT);
      if (displayName != null) {
        displayNames.put(key, displayName);
      }
      if (email != null && !email.isEmpty()) {
        emails.put(key, email);
      }
    }

    void teacher(String sectionId, String username, boolean isPrimary) {
      List<String> list =
          (isPrimary ? primary : others).computeIfAbsent(sectionId, k -> new ArrayList<>());
      if (!list.contains(username)) {
        list.add(username);
      }
    }

    /**
     * The section's primary teacher (the first one marked primary, else the first listed), or null.
     */
    String primaryTeacher(String sectionId) {
      List<String> p = primary.get(sectionId);
      if (p != null) {
        return p.get(0);
      }
      List<String> o = others.get(sectionId);
      return o == null ? null : o.get(0);
    }

    /**
     * Only the sections the roster keeps: an enrollment in a class the export left out teaches
     * nothing.
     */
    RosterPeople build(Set<String> sectionIds) {
      Map<String, List<String>> bySection = new HashMap<>();
      Map<String, Set<String>> byTeacher = new LinkedHashMap<>();
      for (Map<String, List<String>> part : List.of(primary, others)) {
        part.forEach(
            (section, teachers) -> {
              if (!sectionIds.contains(section)) {
                return;
              }
              for (String t : teachers) {
                List<String> list = bySection.computeIfAbsent(section, k -> new ArrayList<>());
                if (!list.contains(t)) {
                  list.add(t);
                  byTeacher
                      .computeIfAbsent(t.toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
                      .add(section);
                }
              }
            });
      }
      Map<String, List<String>> sectionsOf = new HashMap<>();
      byTeacher.forEach((t, s) -> sectionsOf.put(t, List.copyOf(s)));
      Map<String, List<String>> teachersOf = new HashMap<>();
      bySection.forEach((s, t) -> teachersOf.put(s, List.copyOf(t)));
      return new RosterPeople(displayNames, emails, teachersOf, sectionsOf);
    }
  }
}
