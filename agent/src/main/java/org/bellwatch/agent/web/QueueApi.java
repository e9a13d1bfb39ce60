package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.report.BeforeAfter;
import org.bellwatch.agent.report.DecisionQueue;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;

/**
 * {@code /api/v1/queue}, the sites blocked during class ranked by their impact on instruction, each
 * with its review; and {@code /api/v1/reviews/{domain}/impact}, whether blocks stopped after the
 * latest decision. Both read the report filters of the query ({@link QueryParams#filter}), so every
 * scope applied there applies to them.
 */
final class QueueApi implements RouteGroup {
  /** A queue without a range shows the last four weeks. */
  static final Duration DEFAULT_RANGE = Duration.ofDays(28);

  /** A decision that holds until a day at most this far from today is {@code expiring}. */
  static final int EXPIRING_DAYS = 14;

  static final List<String> FILTERS =
      List.of("no_request", "awaiting_it", "decided", "expiring", "expired");

  private final Reports reports;
  private final Reviews reviews;
  private final ReviewsApi reviewsApi;
  private final Predicate<LocalDate> schoolDay;
  private final ZoneId zone;
  private final ReviewJson json;
  private final ObjectMapper mapper;
  private final Clock clock;

  QueueApi(
      Reports reports,
      Reviews reviews,
      ReviewsApi reviewsApi,
      Predicate<LocalDate> schoolDay,
      ObjectMapper mapper,
      Clock clock) {
    this.reports = reports;
    this.reviews = reviews;
    this.reviewsApi = reviewsApi;
    this.schoolDay = schoolDay;
    this.zone = reports.zone();
    this.json = new ReviewJson(mapper);
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Registers the decision queue and a decision's impact. */
  @Override
  public void register(Routes r) {
    // Both are reports: teachers see them over their own sections.
    r.add(HandlerType.GET, "/api/v1/reviews/{domain}/impact", Routes.REPORT_READERS, this::impact);
    r.add(HandlerType.GET, "/api/v1/queue", Routes.REPORT_READERS, this::queue);
  }

  void queue(Context ctx) throws StorageException {
    ReportFilter f = QueryParams.filter(ctx);
    String status = ctx.queryParam("status");
    if (status != null && !status.isEmpty() && !FILTERS.contains(status)) {
      throw new ApiException(400, "status: '" + status + "' is not one of " + FILTERS);
    }
    int offset = QueryParams.offset(ctx);
    int limit = QueryParams.limit(ctx);
    Instant now = clock.instant();
    Instant to = f.to() != null ? f.to() : now;
    Instant from = f.from() != null ? f.from() : to.minus(DEFAULT_RANGE);
    if (!from.isBefore(to)) {
      throw new ApiException(400, "from: must be before to");
    }
    // while_teaching picks sites (with or without a lesson whose teacher was blocked); their rows
    // count every block.
    Boolean teaching = f.whileTeaching();
    DecisionQueue.Result q = reports.queue(f.withWhileTeaching(null).withRange(from, to));
    Map<String, Review> byDomain = new HashMap<>();
    reviews.list().forEach(r -> byDomain.put(r.domain(), r));
    LocalDate today = now.atZone(zone).toLocalDate();
    ArrayNode items = mapper.createArrayNode();
    int total = 0;
    for (DecisionQueue.Row row : q.rows()) {
      Review r = byDomain.get(row.domain());
      if (status != null && !status.isEmpty() && !matches(status, r, today)
          || teaching != null && teaching != row.whileTeachingLessons() > 0) {
        continue;
      }
      if (total >= offset && items.size() < limit) {
        ObjectNode item = mapper.valueToTree(row);
        item.set("review", r == null ? null : json.summary(r, today, zone));
        items.add(item);
      }
      total++;
    }
    Responses.json(
        ctx,
        mapper
            .createObjectNode()
            .put("from", from.toString())
            .put("to", to.toString())
            .put("previous_from", q.previousFrom().toString())
            .put("previous_to", q.previousTo().toString())
            .put("total", total)
            .put("offset", offset)
            .put("limit", limit)
            .set("items", items));
  }

  /**
   * Whether a site's review is in one of the queue's filters on {@code today}. Filters may overlap:
   * {@code expiring} decisions are also {@code decided}, and {@code expired} ones are back among
   * those with {@code no_request} (nothing open: a new request is what they need).
   */
  static boolean matches(String filter, Review r, LocalDate today) {
    if (r == null) {
      return filter.equals("no_request");
    }
    String status = r.statusOn(today);
    return switch (filter) {
      case "no_request" -> status.equals(Review.EXPIRED);
      case "awaiting_it" -> status.equals(Review.REQUESTED);
      case "decided" -> Review.DECISIONS.contains(status);
      case "expiring" ->
          Review.DECISIONS.contains(status)
              && r.expires() != null
              && !r.expires().isAfter(today.plusDays(EXPIRING_DAYS));
      case "expired" -> status.equals(Review.EXPIRED);
      default -> throw new IllegalArgumentException(filter);
    };
  }

  void impact(Context ctx) throws StorageException {
    Review r = reviewsApi.existing(ctx);
    Review.Entry decision =
        r.decision()
            .orElseThrow(() -> new ApiException(404, "no decision on " + r.domain() + " yet"));
    BeforeAfter.Impact impact =
        BeforeAfter.of(
            reports,
            QueryParams.filter(ctx).withDomain(r.domain()),
            decision.time(),
            decision.action(),
            clock.instant(),
            schoolDay);
    Responses.json(ctx, mapper.valueToTree(impact));
  }
}
