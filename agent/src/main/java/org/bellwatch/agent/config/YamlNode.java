package org.bellwatch.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers where it came from, so that every configuration error can name
 * the line. Exactly one of the three shapes: a mapping, a sequence, or a scalar (text, possibly
 * null).
 */
sealed interface YamlNode {
  int line();

  /** A mapping; keys in file order, each with the line where the key was written. */
  record Mapping(int line, Map<String, YamlNode> entries, Map<String, Integer> keyLines)
      implements YamlNode {
    public Mapping {
      entries = new LinkedHashMap<>(entries);
      keyLines = new LinkedHashMap<>(keyLines);
    }
  }

  record Sequence(int line, List<YamlNode> items) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /** A scalar; {@code text} is null for YAML null ({@code ~}, {@code null} or an empty value). */
  record Scalar(int line, String text) implements YamlNode {}
}
