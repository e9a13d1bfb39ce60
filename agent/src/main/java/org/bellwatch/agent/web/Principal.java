package org.bellwatch.agent.web;

import java.util.Collection;
import java.util.Set;
import org.bellwatch.agent.access.Session;

/**
 * The logged-in account behind a request, with its session and its scope: the OneRoster sections it
 * may see ({@code null}: all). A teacher's scope is resolved from the roster in force at each
 * request, so a roster reload changes what the next request sees.
 */
record Principal(String username, Role role, Session session, Set<String> sections) {
  Principal {
    sections = sections == null ? null : Set.copyOf(sections);
  }

  /** True when the scope holds the section (always, for an account that sees every section). */
  boolean covers(String section) {
    return sections == null || section != null && sections.contains(section);
  }

  /**
   * Refuses (403) to act for sections outside the scope: a scoped account names at least one
   * section and only its own.
   */
  void requireOwnSections(Collection<String> named) {
    if (sections == null) {
      return;
    }
    if (named.isEmpty()) {
      throw new ApiException(403, "sections: name the sections you teach that this is for");
    }
    for (String s : named) {
      if (!sections.contains(s)) {
        throw new ApiException(403, "sections: " + s + " is not one of your sections");
      }
    }
  }
}
