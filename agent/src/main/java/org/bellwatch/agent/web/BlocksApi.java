package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;

/**
 * {@code GET /api/v1/blocks}: block events newest first, with every report filter and paging; the index
 * finds the page, the store supplies the events with their evidence. {@code format=csv} exports the page.
 * Each row adds the names of its user, section and teacher from the roster in force ({@link Roster}); users
 * and devices are shown as the caller's role may see them ({@link PrivacyFilter}), names included.
 */
final class BlocksApi {
  private final EventStore store;
  private final Reports reports;
  private final ObjectMapper mapper;
  private final PrivacyFilter privacy;
  private final Roster roster;

  BlocksApi(EventStore store, Reports reports, ObjectMapper mapper, PrivacyFilter privacy, Roster roster) {
    this.roster = roster;
    this.store = store;
    this.reports = reports;
    this.mapper = mapper;
    this.privacy = privacy;
  }

  void list(Context ctx) throws StoreException {
    ReportFilter f = QueryParams.filter(ctx);
    boolean csv = QueryParams.csv(ctx);
    Reports.Page<EventStore.EventRef> page = reports.blocks(f, QueryParams.offset(ctx), QueryParams.limit(ctx));
    ArrayNode blocks = mapper.createArrayNode();
    Role role = WebServer.principal(ctx).role();
    store.get(page.items()).forEach(e -> blocks.add(privacy.apply(roster.withNames(BlockEventJson.toJson(mapper, e)),
        role)));
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
