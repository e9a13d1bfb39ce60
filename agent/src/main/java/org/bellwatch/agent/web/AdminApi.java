package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bellwatch.agent.access.AdminToken;
import org.bellwatch.agent.access.Backups;
import org.bellwatch.agent.event.StorageException;

/**
 * {@code POST /api/v1/admin/backup}: a consistent copy of the running store (a RocksDB checkpoint:
 * hard links where possible) into a folder that must not exist yet. Only for local maintenance
 * commands that present the agent's {@link AdminToken}.
 */
final class AdminApi implements RouteGroup {
  private final Backups backups;
  private final AdminToken token;
  private final ObjectMapper mapper;

  AdminApi(Backups backups, AdminToken token, ObjectMapper mapper) {
    this.backups = backups;
    this.token = token;
    this.mapper = mapper;
  }

  /** Registers the backup of the running agent. */
  @Override
  public void register(Routes r) {
    // No session: the handler checks the agent's local admin token.
    r.add(HandlerType.POST, "/api/v1/admin/backup", Role.ANONYMOUS, this::backup);
  }

  void backup(Context ctx) throws StorageException, IOException {
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
    backups.copyTo(dir);
    Responses.json(
        ctx, mapper.createObjectNode().put("target", dir.toString()).put("bytes", size(dir)));
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
