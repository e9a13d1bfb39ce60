package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bellwatch.agent.review.Review;

/** Reviews as the API shows them: whole reviews, their steps, the queue's summary and CSV rows. */
final class ReviewJson {
  /** The CSV export's columns, one row per step. */
  static final List<String> CSV_COLUMNS =
      List.of(
          "domain",
          "time",
          "actor",
          "role",
          "action",
          "reason",
          "sections",
          "url_prefix",
          "need_from",
          "need_until",
          "scope",
          "until",
          "alternative");

  private final ObjectMapper mapper;

  ReviewJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** {@code {domain, status, expires, request, decision, history}}; status as of {@code today}. */
  ObjectNode review(Review r, LocalDate today) {
    ObjectNode o =
        mapper
            .createObjectNode()
            .put("domain", r.domain())
            .put("status", r.statusOn(today))
            .put("expires", text(r.expires()));
    o.set("request", r.request().map(this::entry).orElse(null));
    o.set("decision", r.decision().map(this::entry).orElse(null));
    ArrayNode h = o.putArray("history");
    r.history().forEach(e -> h.add(entry(e)));
    return o;
  }

  /** One step; {@code note} repeats {@code reason} for clients of the first version. */
  ObjectNode entry(Review.Entry e) {
    ObjectNode n =
        mapper
            .createObjectNode()
            .put("time", e.time().toString())
            .put("actor", e.actor())
            .put("role", e.role())
            .put("action", e.action())
            .put("note", e.reason())
            .put("reason", e.reason());
    ArrayNode s = n.putArray("sections");
    e.sections().forEach(s::add);
    return n.put("url_prefix", e.urlPrefix())
        .put("need_from", text(e.needFrom()))
        .put("need_until", text(e.needUntil()))
        .put("scope", e.scope())
        .put("until", text(e.until()))
        .put("alternative", e.alternative());
  }

  /** Every step of {@code r} as a CSV row, oldest first. */
  void csvRows(Review r, ArrayNode rows) {
    for (Review.Entry e : r.history()) {
      ObjectNode row = rows.addObject().put("domain", r.domain());
      ObjectNode full = entry(e);
      for (String column : CSV_COLUMNS.subList(1, CSV_COLUMNS.size())) {
        row.set(column, full.get(column));
      }
    }
  }

  /**
   * The queue's view of a review: {@code {status, requested_at, requested_by, decided_at, expires,
   * waiting_days}}; a request waits (whole days in the site's zone) while it is the review's
   * status.
   */
  ObjectNode summary(Review r, LocalDate today, ZoneId zone) {
    String status = r.statusOn(today);
    Review.Entry request = r.request().orElse(null);
    Review.Entry decision = r.decision().orElse(null);
    Integer waiting =
        request != null && status.equals(Review.REQUESTED)
            ? (int) ChronoUnit.DAYS.between(request.time().atZone(zone).toLocalDate(), today)
            : null;
    return mapper
        .createObjectNode()
        .put("status", status)
        .put("requested_at", request == null ? null : request.time().toString())
        .put("requested_by", request == null ? null : request.actor())
        .put("decided_at", decision == null ? null : decision.time().toString())
        .put("expires", text(r.expires()))
        .put("waiting_days", waiting);
  }

  private static String text(LocalDate d) {
    return d == null ? null : d.toString();
  }
}
