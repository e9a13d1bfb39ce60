package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.report.BlockQueries;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;

/**
 * {@code GET /api/v1/blocks}: block events newest first, with every report filter and paging; the
 * index finds the page, the store supplies the events with their evidence ({@link BlockQueries}).
 * {@code format=csv} exports the page. Each row adds the names of its user, section and teacher
 * from the roster in force ({@link Roster}); users and devices are shown as the caller's role may
 * see them ({@link PrivacyFilter}), names included.
 */
final class BlocksApi implements RouteGroup {
  private final BlockQueries queries;
  private final ObjectMapper mapper;
  private final PrivacyFilter privacy;
  private final Roster roster;

  BlocksApi(BlockQueries queries, ObjectMapper mapper, PrivacyFilter privacy, Roster roster) {
    this.roster = roster;
    this.queries = queries;
    this.mapper = mapper;
    this.privacy = privacy;
  }

  /** Registers the per-event list. */
  @Override
  public void register(Routes r) {
    // Per-event rows name students and devices: coordinators and admins (viewers see aggregates
    // only), and
    // teachers, for the blocks of their own sections.
    r.add(
        HandlerType.GET,
        "/api/v1/blocks",
        WebServer.Access.staffAndTeachers(Role.COORDINATOR),
        this::list);
  }

  void list(Context ctx) throws StorageException {
    ReportFilter f = QueryParams.filter(ctx);
    boolean csv = QueryParams.csv(ctx);
    Reports.Page<BlockEvent> page =
        queries.blocks(f, QueryParams.offset(ctx), QueryParams.limit(ctx));
    ArrayNode blocks = mapper.createArrayNode();
    Role role = Routes.principal(ctx).role();
    page.items()
        .forEach(
            e ->
                blocks.add(
                    privacy.apply(roster.withNames(BlockEventJson.toJson(mapper, e)), role)));
    if (csv) {
      Responses.csv(ctx, "blocks", blocks);
      return;
    }
    ObjectNode body = mapper.createObjectNode();
    body.set("blocks", blocks);
    body.put("count", blocks.size());
    body.put("total", page.total());
    body.put("offset", page.offset());
    body.put("limit", page.limit());
    Responses.json(ctx, body);
  }
}
