package org.bellwatch.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into {@link YamlNode}s with line numbers, using Jackson's streaming YAML parser.
 * Duplicate keys are an error (YAML 1.2 section 3.2.1.1 requires unique keys; silently taking the
 * last one hides mistakes in hand-edited files).
 */
final class YamlReader {
  private YamlReader() {}

  static YamlNode read(String text, String fileName) throws ConfigException {
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new YamlNode.Mapping(1, Map.of(), Map.of());
      }
      return readValue(p, fileName);
    } catch (IOException e) {
      int line =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                  && jpe.getLocation() != null
              ? jpe.getLocation().getLineNr()
              : 0;
      String why =
          e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
      throw new ConfigException(fileName + ":" + line + ": not valid YAML: " + why);
    }
  }

  private static YamlNode readValue(JsonParser p, String fileName)
      throws IOException, ConfigException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          if (entries.containsKey(key)) {
            throw new ConfigException(fileName + ":" + keyLine + ": duplicate key '" + key + "'");
          }
          p.nextToken();
          entries.put(key, readValue(p, fileName));
          keyLines.put(key, keyLine);
        }
        return new YamlNode.Mapping(line, entries, keyLines);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p, fileName));
        }
        return new YamlNode.Sequence(line, items);
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar(line, null);
      }
      default -> {
        return new YamlNode.Scalar(line, p.getText());
      }
    }
  }
}
