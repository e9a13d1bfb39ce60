package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;

/**
 * {@code /api/v1/reviews}: a coordinator asks for a blocked domain (the reason, a narrower URL
 * prefix, the sections and the period of need); IT answers (unblocked or time-limited, for everyone
 * or some sections, until a day; kept blocked; or an alternative), always with a reason. Everyone
 * logged in sees status and history, as JSON or as CSV; every step is audited in the same write.
 * Statuses are computed on the site's date: an unblock past its last day is {@code expired}.
 */
final class ReviewsApi implements RouteGroup {
  static final List<String> STATUSES =
      List.of(
          Review.REQUESTED,
          Review.UNBLOCKED,
          Review.KEPT_BLOCKED,
          Review.ALTERNATIVE,
          Review.TIME_LIMITED,
          Review.EXPIRED);
  private final Reviews reviews;
  private final Predicate<String> knownSection;
  private final ZoneId zone;
  private final ReviewJson json;
  private final ObjectMapper mapper;
  private final Clock clock;

  ReviewsApi(
      Reviews reviews,
      Predicate<String> knownSection,
      ZoneId zone,
      ObjectMapper mapper,
      Clock clock) {
    this.reviews = reviews;
    this.knownSection = knownSection;
    this.zone = zone;
    this.json = new ReviewJson(mapper);
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Registers the reviews. */
  @Override
  public void register(Routes r) {
    // A review is the school's answer about a site: everyone signed in may read it; teachers ask
    // for their
    // own sections only, and only admins decide.
    r.add(HandlerType.GET, "/api/v1/reviews", Routes.ANY_ACCOUNT, this::list);
    r.add(HandlerType.GET, "/api/v1/reviews/{domain}", Routes.ANY_ACCOUNT, this::get);
    r.add(
        HandlerType.POST,
        "/api/v1/reviews/{domain}/request",
        WebServer.Access.staffAndTeachers(Role.COORDINATOR),
        this::request);
    r.add(HandlerType.POST, "/api/v1/reviews/{domain}/decision", Role.ADMIN, this::decide);
  }

  void list(Context ctx) throws StorageException {
    String status = ctx.queryParam("status");
    if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
      throw new ApiException(400, "status: '" + status + "' is not one of " + STATUSES);
    }
    boolean csv = QueryParams.csv(ctx);
    LocalDate today = today();
    List<Review> all =
        new ArrayList<>(
            reviews.list().stream()
                .filter(r -> status == null || status.isEmpty() || r.statusOn(today).equals(status))
                .toList());
    all.sort(Comparator.comparing(Review::lastChanged).reversed().thenComparing(Review::domain));
    ArrayNode items = mapper.createArrayNode();
    if (csv) {
      all.forEach(r -> json.csvRows(r, items));
      Responses.csv(ctx, "reviews", ReviewJson.CSV_COLUMNS, items);
      return;
    }
    all.forEach(r -> items.add(json.review(r, today)));
    Responses.json(
        ctx, mapper.createObjectNode().<ObjectNode>set("items", items).put("total", all.size()));
  }

  void get(Context ctx) throws StorageException {
    Review r = existing(ctx);
    Responses.json(ctx, json.review(r, today()));
  }

  void request(Context ctx) throws StorageException {
    String domain = ReviewSteps.domain(ctx.pathParam("domain"));
    JsonNode body = Bodies.object(ctx, mapper);
    Principal p = Routes.principal(ctx);
    Instant now = clock.instant();
    Review.Entry step = ReviewSteps.request(body, domain, p, now, knownSection);
    // A teacher asks for its own sections only.
    p.requireOwnSections(step.sections());
    List<String> detail = new ArrayList<>();
    if (!step.sections().isEmpty()) {
      detail.add("sections " + String.join(", ", step.sections()));
    }
    if (step.urlPrefix() != null) {
      detail.add("url " + step.urlPrefix());
    }
    if (step.needFrom() != null || step.needUntil() != null) {
      detail.add(
          "needed "
              + (step.needFrom() == null ? "" : "from " + step.needFrom())
              + (step.needFrom() != null && step.needUntil() != null ? " " : "")
              + (step.needUntil() == null ? "" : "until " + step.needUntil()));
    }
    Review r =
        reviews.append(
            domain,
            step,
            new AuditEntry(
                now,
                p.username(),
                "review_requested",
                domain,
                ctx.ip(),
                detail.isEmpty() ? null : String.join("; ", detail)));
    Responses.json(ctx, json.review(r, today()));
  }

  void decide(Context ctx) throws StorageException {
    String domain = ReviewSteps.domain(ctx.pathParam("domain"));
    if (reviews.get(domain).isEmpty()) {
      throw new ApiException(404, "no review of " + domain + ": a coordinator asks first");
    }
    JsonNode body = Bodies.object(ctx, mapper);
    Principal p = Routes.principal(ctx);
    Instant now = clock.instant();
    Review.Entry step = ReviewSteps.decision(body, p, now, today(), knownSection);
    String detail =
        step.action()
            + (step.until() == null ? "" : " until " + step.until())
            + (step.sections().isEmpty()
                ? ""
                : " for sections " + String.join(", ", step.sections()));
    Review r =
        reviews.append(
            domain,
            step,
            new AuditEntry(now, p.username(), "review_decided", domain, ctx.ip(), detail));
    Responses.json(ctx, json.review(r, today()));
  }

  /**
   * The review of the path's domain, or a 404. Read routes look the name up as given (normalized):
   * only steps must name a host name, and a name that is not one simply has no review (the
   * console's page of such a blocked domain then reads "no review").
   */
  Review existing(Context ctx) throws StorageException {
    String domain = ReviewSteps.key(ctx.pathParam("domain"));
    Review r = domain == null ? null : reviews.get(domain).orElse(null);
    if (r == null) {
      throw new ApiException(404, "no review of " + domain);
    }
    return r;
  }

  private LocalDate today() {
    return clock.instant().atZone(zone).toLocalDate();
  }
}
