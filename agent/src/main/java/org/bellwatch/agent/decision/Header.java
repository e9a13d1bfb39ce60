package org.bellwatch.agent.decision;

import java.net.IDN;
import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comment lines every snippet opens with: what is exempted, why, for whom, when, until when.
 */
final class Header {
  private Header() {}

  /** The header in a program's comment syntax ({@code prefix} such as "# " or "// "). */
  static String of(Exemption e, String prefix) {
    return Text.comment(prefix, "Bellwatch exemption: " + what(e))
        + Text.comment(prefix, "Reference: " + e.reference())
        + Text.comment(prefix, "Reason: " + e.reason())
        + Text.comment(
            prefix,
            e.until() == null
                ? "Until: no end date set; remove these lines when the exemption ends."
                : "Until: " + e.until() + "; remove these lines after that day.")
        + Text.comment(
            prefix,
            "For: "
                + (e.sourceCidrs().isEmpty() ? "every client" : String.join(", ", e.sourceCidrs())))
        + Text.comment(
            prefix, "When: " + (e.windows().isEmpty() ? "at all times" : windows(e.windows())));
  }

  /** The short form, for files that travel on their own: what, the reference and the end date. */
  static String brief(Exemption e, String prefix) {
    return Text.comment(
        prefix,
        "Bellwatch exemption: "
            + what(e)
            + "; "
            + e.reference()
            + (e.until() == null ? "" : "; until " + e.until()));
  }

  /** The site and its subdomains, or the URL prefix. */
  static String what(Exemption e) {
    String unicode = IDN.toUnicode(e.domain());
    String site = e.domain() + (unicode.equals(e.domain()) ? "" : " (" + unicode + ")");
    return e.urlPrefix() == null
        ? site + " and its subdomains"
        : "URLs starting with " + e.urlPrefix() + " on " + site;
  }

  private static String windows(List<TimeWindow> windows) {
    List<String> parts = new ArrayList<>();
    for (TimeWindow w : windows) {
      List<String> days = new ArrayList<>();
      for (DayOfWeek d : w.days()) {
        days.add(d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      }
      parts.add(String.join(" ", days) + " " + w.start() + "-" + w.end());
    }
    return String.join(", ", parts);
  }
}
