package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Reads config/openapi.yaml for the contract and authorization tests. */
final class OpenApi {
  /**
   * One documented operation, the least staff role it documents ({@code x-role}) and whether
   * teachers may call it ({@code x-teacher}).
   */
  record Op(String method, String path, JsonNode operation, String role, boolean teachers) {}

  private OpenApi() {}

  static JsonNode read() throws Exception {
    return new ObjectMapper(new YAMLFactory())
        .readTree(
            Path.of(System.getProperty("bellwatch.repo", ".."), "config", "openapi.yaml").toFile());
  }

  static Set<String> paths(JsonNode api) {
    Set<String> out = new TreeSet<>();
    api.get("paths").fieldNames().forEachRemaining(out::add);
    return out;
  }

  static List<Op> operations(JsonNode api) {
    List<Op> out = new ArrayList<>();
    api.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fields()
                    .forEachRemaining(
                        m -> {
                          if (List.of("get", "post", "put", "delete", "patch")
                              .contains(m.getKey())) {
                            out.add(
                                new Op(
                                    m.getKey().toUpperCase(Locale.ROOT),
                                    p.getKey(),
                                    m.getValue(),
                                    m.getValue().path("x-role").asText(null),
                                    m.getValue().path("x-teacher").asBoolean(false)));
                          }
                        }));
    return out;
  }

  /** A path with its parameters filled with values the test site has. */
  static String concrete(String path) {
    return path.replace("{dimension}", "room")
        .replace("{domain}", "games.example.com")
        .replace("{section}", "cls-alg")
        .replace("{username}", "viewer1");
  }

  /** The JSON schema of a documented response, following one $ref (response or schema). */
  static JsonNode schema(JsonNode api, JsonNode response) {
    if (response.has("$ref")) {
      response = resolve(api, response.get("$ref").asText());
    }
    JsonNode schema = response.path("content").path("application/json").path("schema");
    if (schema.has("$ref")) {
      schema = resolve(api, schema.get("$ref").asText());
    }
    return schema;
  }

  private static JsonNode resolve(JsonNode api, String ref) {
    JsonNode n = api;
    for (String part : ref.substring(2).split("/")) {
      n = n.get(part);
    }
    return n;
  }
}
