package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;

/**
 * Reviews by domain in the {@code reviews} family. Every change is written in one batch with its
 * audit entry.
 *
 * <p>Record versions: 1 kept a {@code note} per step and only sections and an alternative besides;
 * 2 names it {@code reason} and adds a request's URL prefix and period of need and a decision's
 * scope and last day. Version 1 records read as version 2 steps with those fields null; they are
 * rewritten as version 2 when the review next changes.
 */
final class StoredReviews implements Reviews {
  static final int VERSION = 2;
  private final KeyValues kv;
  private final KeyValues audit;

  StoredReviews(KeyValues kv, KeyValues audit) {
    this.kv = kv;
    this.audit = audit;
  }

  @Override
  public Optional<Review> get(String domain) throws StoreException {
    byte[] v = kv.get(domain.getBytes(StandardCharsets.UTF_8));
    return v == null ? Optional.empty() : Optional.of(decode(v));
  }

  @Override
  public List<Review> list() throws StoreException {
    List<Review> out = new ArrayList<>();
    for (KeyValues.Entry e : kv.scan(null, false, Integer.MAX_VALUE)) {
      out.add(decode(e.value()));
    }
    return out;
  }

  @Override
  public synchronized Review append(String domain, Review.Entry step, AuditEntry audited)
      throws StoreException {
    List<Review.Entry> history =
        new ArrayList<>(get(domain).map(Review::history).orElse(List.of()));
    history.add(step);
    Review r = new Review(domain, step.action(), history);
    KeyValues.putAll(
        kv,
        domain.getBytes(StandardCharsets.UTF_8),
        encode(r),
        audit,
        StoredAuditLog.key(audited),
        StoredAuditLog.value(audited));
    return r;
  }

  private static byte[] encode(Review r) {
    ObjectNode o = Records.object(VERSION).put("domain", r.domain()).put("status", r.status());
    ArrayNode h = o.putArray("history");
    for (Review.Entry e : r.history()) {
      ObjectNode n =
          h.addObject()
              .put("time", Records.iso(e.time()))
              .put("actor", e.actor())
              .put("role", e.role())
              .put("action", e.action())
              .put("reason", e.reason());
      ArrayNode s = n.putArray("sections");
      e.sections().forEach(s::add);
      n.put("url_prefix", e.urlPrefix())
          .put("need_from", Records.iso(e.needFrom()))
          .put("need_until", Records.iso(e.needUntil()))
          .put("scope", e.scope())
          .put("until", Records.iso(e.until()))
          .put("alternative", e.alternative());
    }
    return Records.bytes(o);
  }

  private static Review decode(byte[] v) throws StoreException {
    JsonNode o = Records.read(v, VERSION, "review");
    boolean v1 = o.path("v").asInt() == 1;
    List<Review.Entry> history = new ArrayList<>();
    for (JsonNode n : o.path("history")) {
      List<String> sections = new ArrayList<>();
      n.path("sections").forEach(x -> sections.add(x.asText()));
      history.add(
          new Review.Entry(
              Records.instant(n, "time"),
              Records.text(n, "actor"),
              Records.text(n, "role"),
              Records.text(n, "action"),
              Records.text(n, v1 ? "note" : "reason"),
              sections,
              Records.text(n, "url_prefix"),
              Records.date(n, "need_from"),
              Records.date(n, "need_until"),
              Records.text(n, "scope"),
              Records.date(n, "until"),
              Records.text(n, "alternative")));
    }
    return new Review(Records.text(o, "domain"), Records.text(o, "status"), history);
  }
}
