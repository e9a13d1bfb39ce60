package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.bellwatch.agent.decision.Exemption;
import org.bellwatch.agent.decision.FilterSnippets;
import org.bellwatch.agent.decision.Snippet;
import org.bellwatch.agent.decision.TimeWindow;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.schedule.BellPeriod;
import org.bellwatch.agent.schedule.ClassSection;
import org.bellwatch.agent.schedule.SiteModel;

/**
 * {@code /api/v1/reviews/{domain}/filter-changes}: the change IT applies to its filter after
 * unblocking a site, as text to copy ({@link FilterSnippets}). The decision says what and until
 * when; the latest request may narrow the site to a URL prefix. A decision for some sections
 * becomes the sections' rooms (their {@code networks.csv} ranges) and their bell periods on school
 * weekdays, under every bell schedule that runs the period (a late-start day moves it). What the
 * site's files cannot express is said in {@code warnings}, never silently widened or dropped.
 */
final class FilterChangesApi implements RouteGroup {
  private static final Set<DayOfWeek> SCHOOL_WEEK =
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  private final ReviewsApi reviews;
  private final Supplier<SiteModel> site;
  private final ZoneId zone;
  private final ObjectMapper mapper;

  FilterChangesApi(ReviewsApi reviews, Supplier<SiteModel> site, ZoneId zone, ObjectMapper mapper) {
    this.reviews = reviews;
    this.site = site;
    this.zone = zone;
    this.mapper = mapper;
  }

  /** Registers what to change in the filter for a decision. */
  @Override
  public void register(Routes r) {
    r.add(
        HandlerType.GET,
        "/api/v1/reviews/{domain}/filter-changes",
        Role.ADMIN,
        this::filterChanges);
  }

  void filterChanges(Context ctx) throws StorageException {
    Review r = reviews.existing(ctx);
    Review.Entry decision =
        r.decision()
            .filter(
                d -> d.action().equals(Review.UNBLOCKED) || d.action().equals(Review.TIME_LIMITED))
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "no filter change for "
                            + r.domain()
                            + ": its latest decision does not unblock it"));
    List<String> warnings = new ArrayList<>();
    Exemption exemption = exemption(r, decision, site.get(), warnings);
    ObjectNode body =
        mapper
            .createObjectNode()
            .put("domain", r.domain())
            .put("decision", decision.action())
            .put("decided_at", decision.time().toString())
            .put("until", decision.until() == null ? null : decision.until().toString());
    ArrayNode w = body.putArray("warnings");
    warnings.forEach(w::add);
    ArrayNode items = body.putArray("items");
    for (Snippet s : FilterSnippets.all(exemption)) {
      items
          .addObject()
          .put("id", s.id())
          .put("title", s.title())
          .put("text", s.text())
          .put("checked_with", s.checkedWith());
    }
    Responses.json(ctx, body);
  }

  /**
   * The exemption a decision grants, with a warning for each part the site's files cannot narrow.
   */
  Exemption exemption(Review r, Review.Entry decision, SiteModel model, List<String> warnings) {
    String urlPrefix = r.request().map(Review.Entry::urlPrefix).orElse(null);
    Set<String> ranges = new LinkedHashSet<>();
    Set<TimeWindow> windows = new LinkedHashSet<>();
    boolean unlimitedSource = false;
    if ("sections".equals(decision.scope())) {
      for (String id : decision.sections()) {
        ClassSection s = model.schedule().section(id);
        String label = s == null ? id : s.displayTitle();
        if (s == null) {
          warnings.add(
              "Section " + id + " is no longer in the roster: its room and periods are unknown.");
          unlimitedSource = true;
          continue;
        }
        List<String> cidrs = model.inventory().networksOfRoom(s.room());
        if (cidrs.isEmpty()) {
          warnings.add(
              label
                  + ": room "
                  + (s.room() == null ? "unknown" : s.room())
                  + " has no network in networks.csv, so the change is not limited to that room's devices.");
          unlimitedSource = true;
        }
        ranges.addAll(cidrs);
        for (String period : s.periods()) {
          for (BellPeriod p : model.schedule().timesOfPeriod(period)) {
            windows.add(new TimeWindow(SCHOOL_WEEK, p.start(), p.end()));
          }
        }
      }
      if (windows.isEmpty()) {
        warnings.add(
            "No bell times are known for these sections' periods, so the change is not limited in time.");
      }
    }
    // One section the filter cannot tell apart by address means the whole change holds for every
    // address:
    // narrowing it to the other sections' rooms would keep that section blocked, against the
    // decision.
    List<String> sources = unlimitedSource ? List.of() : List.copyOf(ranges);
    String reference =
        "bellwatch review " + r.domain() + " " + decision.time().atZone(zone).toLocalDate();
    LocalDate until = decision.until();
    List<TimeWindow> byTime =
        windows.stream()
            .sorted(Comparator.comparing(TimeWindow::start).thenComparing(TimeWindow::end))
            .toList();
    return new Exemption(
        r.domain(), urlPrefix, sources, byTime, until, decision.reason(), reference);
  }
}
