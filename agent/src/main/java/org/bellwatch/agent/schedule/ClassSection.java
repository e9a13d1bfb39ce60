package org.bellwatch.agent.schedule;

import java.util.Set;

/**
 * A OneRoster class (a section) as the correlator needs it.
 *
 * @param sourcedId   OneRoster class sourcedId
 * @param title       class title
 * @param courseTitle title of its course, or null
 * @param room        the class {@code location}, or null
 * @param periods     bell period names the class meets in
 * @param teacher     username of the primary teacher, or null
 * @param termIds     academic sessions the class runs in (empty: always)
 */
public record ClassSection(String sourcedId, String title, String courseTitle, String room, Set<String> periods,
    String teacher, Set<String> termIds) {
}
