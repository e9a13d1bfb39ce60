package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.store.AuditEntry;
import org.bellwatch.agent.store.Review;
import org.bellwatch.agent.store.Reviews;
import org.bellwatch.agent.store.StoreException;

/**
 * {@code /api/v1/reviews}: a coordinator asks for a blocked domain ("needed for instruction", with a note
 * and the sections concerned); IT answers (unblocked, kept blocked with a reason, or an alternative).
 * Everyone logged in sees status and history; every step is audited in the same write.
 */
final class ReviewsApi {
  static final List<String> DECISIONS = List.of("unblocked", "kept_blocked", "alternative");
  static final List<String> STATUSES = List.of("requested", "unblocked", "kept_blocked", "alternative");
  private final Reviews reviews;
  private final ObjectMapper mapper;
  private final Clock clock;

  ReviewsApi(Reviews reviews, ObjectMapper mapper, Clock clock) {
    this.reviews = reviews;
    this.mapper = mapper;
    this.clock = clock;
  }

  void list(Context ctx) throws StoreException {
    String status = ctx.queryParam("status");
    if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
      throw new ApiException(400, "status: '" + status + "' is not one of " + STATUSES);
    }
    ArrayNode items = mapper.createArrayNode();
    List<Review> all = reviews.list().stream().filter(r -> status == null || status.isEmpty()
        || r.status().equals(status)).sorted((a, b) -> last(b).compareTo(last(a))).toList();
    all.forEach(r -> items.add(json(r)));
    Responses.json(ctx, mapper.createObjectNode().<ObjectNode>set("items", items).put("total", all.size()));
  }

  void get(Context ctx) throws StoreException {
    String domain = domain(ctx);
    Review r = reviews.get(domain).orElseThrow(() -> new ApiException(404, "no review of " + domain));
    Responses.json(ctx, json(r));
  }

  void request(Context ctx) throws StoreException {
    String domain = domain(ctx);
    JsonNode body = Bodies.object(ctx, mapper);
    String note = Bodies.text(body, "note", true, 2000);
    List<String> sections = Bodies.texts(body, "sections", 50, 128);
    Principal p = WebServer.principal(ctx);
    // A teacher asks for its own sections only.
    p.requireOwnSections(sections);
    Instant now = clock.instant();
    Review r = reviews.append(domain, new Review.Entry(now, p.username(), p.role().id(), "requested", note, sections,
        null), new AuditEntry(now, p.username(), "review_requested", domain, ctx.ip(),
        sections.isEmpty() ? null : "sections " + String.join(", ", sections)));
    Responses.json(ctx, json(r));
  }

  void decide(Context ctx) throws StoreException {
    String domain = domain(ctx);
    JsonNode body = Bodies.object(ctx, mapper);
    String decision = Bodies.text(body, "decision", true, 20);
    if (!DECISIONS.contains(decision)) {
      throw new ApiException(400, "decision: '" + decision + "' is not one of " + DECISIONS);
    }
    String note = Bodies.text(body, "note", decision.equals("kept_blocked"), 2000);
    String alternative = Bodies.text(body, "alternative", decision.equals("alternative"), 500);
    if (reviews.get(domain).isEmpty()) {
      throw new ApiException(404, "no review of " + domain + ": a coordinator asks first");
    }
    Principal p = WebServer.principal(ctx);
    Instant now = clock.instant();
    Review r = reviews.append(domain, new Review.Entry(now, p.username(), p.role().id(), decision, note, List.of(),
        decision.equals("alternative") ? alternative : null),
        new AuditEntry(now, p.username(), "review_decided", domain, ctx.ip(), decision));
    Responses.json(ctx, json(r));
  }

  private static String domain(Context ctx) {
    String d = Domains.normalize(ctx.pathParam("domain"));
    if (d == null || d.isEmpty() || d.length() > 253) {
      throw new ApiException(400, "domain: not a domain name");
    }
    return d;
  }

  private static Instant last(Review r) {
    return r.history().get(r.history().size() - 1).time();
  }

  private ObjectNode json(Review r) {
    ObjectNode o = mapper.createObjectNode().put("domain", r.domain()).put("status", r.status());
    ArrayNode h = o.putArray("history");
    for (Review.Entry e : r.history()) {
      ObjectNode n = h.addObject().put("time", e.time().toString()).put("actor", e.actor()).put("role", e.role())
          .put("action", e.action()).put("note", e.note());
      ArrayNode s = n.putArray("sections");
      e.sections().forEach(s::add);
      n.put("alternative", e.alternative());
    }
    return o;
  }
}
