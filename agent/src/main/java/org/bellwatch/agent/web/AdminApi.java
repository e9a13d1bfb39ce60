package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bellwatch.agent.store.AdminToken;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;

/**
 * {@code POST /api/v1/admin/backup}: a consistent copy of the running store (a RocksDB checkpoint: hard
 * links where possible) into a folder that must not exist yet. Only for local maintenance commands that
 * present the agent's {@link AdminToken}.
 */
final class AdminApi {
  private final EventStore store;
  private final AdminToken token;
  private final ObjectMapper mapper;

  AdminApi(EventStore store, AdminToken token, ObjectMapper mapper) {
    this.store = store;
    this.token = token;
    this.mapper = mapper;
  }

  void backup(Context ctx) throws StoreException, IOException {
    if (token == null || !token.matches(ctx.header(AdminToken.HEADER))) {
      throw new ApiException(403, "a valid " + AdminToken.HEADER + " header is required");
    }
    JsonNode body;
    try {
      body = mapper.readTree(ctx.body());
    } catch (IOException e) {
      throw new ApiException(400, "body: not JSON");
    }
    String target = body == null ? null : body.path("target").asText(null);
    if (target == null || !Path.of(target).isAbsolute()) {
      throw new ApiException(400, "target: an absolute folder path is required");
    }
    Path dir = Path.of(target).normalize();
    if (Files.exists(dir)) {
      throw new ApiException(409, "target: " + dir + " already exists");
    }
    store.checkpoint(dir);
    Responses.json(ctx, mapper.createObjectNode().put("target", dir.toString()).put("bytes", size(dir)));
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        total += Files.size(f);
      }
      return total;
    }
  }
}
