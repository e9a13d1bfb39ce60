package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;
import org.bellwatch.agent.decision.HostName;
import org.bellwatch.agent.decision.UrlPrefix;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.review.Review;

/**
 * Reads the body of a review request or decision into the step to store, refusing bad values with a
 * 400 naming the field. What is accepted here ends up in filter rules IT copies (squid ACLs, RPZ
 * zones), so the domain and URL prefix pass the same checks as an {@link
 * org.bellwatch.agent.decision.Exemption}, and sections are the roster's ids.
 */
final class ReviewSteps {
  static final int MAX_REASON_CHARS = 2000;
  static final int MAX_SECTIONS = 50;
  static final int MAX_SECTION_CHARS = 128;
  static final String EVERYONE = "everyone";
  static final String SECTIONS = "sections";

  private ReviewSteps() {}

  /**
   * The path's domain as filters write it (lower-case A-labels, RFC 5891); a 400 unless it is a
   * host name a filter can exempt ({@link HostName}).
   */
  static String domain(String raw) {
    try {
      return HostName.ascii("domain", raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
  }

  /**
   * The path's domain as a review of it is stored: as {@link #domain}, or normalized when it is no
   * host name.
   */
  static String key(String raw) {
    try {
      return HostName.ascii("domain", raw);
    } catch (IllegalArgumentException e) {
      return Domains.normalize(raw);
    }
  }

  /**
   * A request: {@code reason} (or the first version's {@code note}), URL prefix, sections, period
   * of need.
   */
  static Review.Entry request(
      JsonNode body, String domain, Principal p, Instant now, Predicate<String> knownSection) {
    String reason = reason(body);
    String urlPrefix =
        urlPrefix(Bodies.text(body, "url_prefix", false, UrlPrefix.MAX_LENGTH), domain);
    List<String> sections = sections(body, knownSection);
    LocalDate needFrom = Bodies.date(body, "need_from");
    LocalDate needUntil = Bodies.date(body, "need_until");
    if (needFrom != null && needUntil != null && needUntil.isBefore(needFrom)) {
      throw new ApiException(400, "need_until: " + needUntil + " is before need_from " + needFrom);
    }
    return new Review.Entry(
        now,
        p.username(),
        p.role().id(),
        Review.REQUESTED,
        reason,
        sections,
        urlPrefix,
        needFrom,
        needUntil,
        null,
        null,
        null);
  }

  /**
   * A decision: its word, the reason (required for every decision), the scope (everyone unless
   * {@code sections}, which then must name some), the last day (required for time_limited, allowed
   * for unblocked, today or later in the site's zone) and the alternative (required for
   * alternative).
   */
  static Review.Entry decision(
      JsonNode body, Principal p, Instant now, LocalDate today, Predicate<String> knownSection) {
    String decision = Bodies.text(body, "decision", true, 20);
    if (!Review.DECISIONS.contains(decision)) {
      throw new ApiException(400, "decision: '" + decision + "' is not one of " + Review.DECISIONS);
    }
    String reason = reason(body);
    String scope = Bodies.text(body, "scope", false, 20);
    scope = scope == null ? EVERYONE : scope;
    if (!scope.equals(EVERYONE) && !scope.equals(SECTIONS)) {
      throw new ApiException(400, "scope: '" + scope + "' is not one of [everyone, sections]");
    }
    List<String> sections = sections(body, knownSection);
    if (scope.equals(SECTIONS) && sections.isEmpty()) {
      throw new ApiException(400, "sections: a decision for sections names at least one");
    }
    if (scope.equals(EVERYONE) && !sections.isEmpty()) {
      throw new ApiException(400, "sections: only a decision with scope 'sections' names sections");
    }
    LocalDate until = Bodies.date(body, "until");
    String untilProblem = Review.untilProblem(decision, until, today);
    if (untilProblem != null) {
      throw new ApiException(400, untilProblem);
    }
    String alternative =
        Bodies.text(
            body, "alternative", decision.equals(Review.ALTERNATIVE), Review.MAX_ALTERNATIVE_CHARS);
    return new Review.Entry(
        now,
        p.username(),
        p.role().id(),
        decision,
        reason,
        sections,
        null,
        null,
        null,
        scope,
        until,
        decision.equals(Review.ALTERNATIVE) ? alternative : null);
  }

  /** {@code reason}, or {@code note} as the first version of the API called it; required. */
  private static String reason(JsonNode body) {
    String reason = Bodies.text(body, "reason", false, MAX_REASON_CHARS);
    if (reason == null) {
      reason = Bodies.text(body, "note", false, MAX_REASON_CHARS);
    }
    if (reason == null) {
      throw new ApiException(400, "reason: is required");
    }
    return reason;
  }

  private static List<String> sections(JsonNode body, Predicate<String> knownSection) {
    List<String> sections = Bodies.texts(body, "sections", MAX_SECTIONS, MAX_SECTION_CHARS);
    for (String s : sections) {
      if (!knownSection.test(s)) {
        throw new ApiException(400, "sections: '" + s + "' is not a section of the roster");
      }
    }
    return sections;
  }

  /**
   * An absolute http(s) URL whose host is {@code domain} or a name under it, as {@link UrlPrefix}
   * writes it (lower-case scheme and host, no default port, user name or fragment).
   */
  private static String urlPrefix(String url, String domain) {
    try {
      return url == null ? null : UrlPrefix.normalize(url, domain);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
  }
}
