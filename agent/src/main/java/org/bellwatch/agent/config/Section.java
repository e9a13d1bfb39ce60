package org.bellwatch.agent.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the configuration being bound. Every getter marks its key as known; {@link
 * #finish()} then refuses whatever is left, naming the key and its line, so a typo never silently
 * falls back to a default.
 */
final class Section {
  private final String file;
  private final String path;
  private final YamlNode.Mapping mapping;
  private final Set<String> seen = new HashSet<>();

  Section(String file, String path, YamlNode.Mapping mapping) {
    this.file = file;
    this.path = path;
    this.mapping = mapping;
  }

  static Section of(String file, String path, YamlNode node) throws ConfigException {
    if (node instanceof YamlNode.Mapping m) {
      return new Section(file, path, m);
    }
    if (node instanceof YamlNode.Scalar s && s.text() == null) {
      return new Section(file, path, new YamlNode.Mapping(s.line(), Map.of(), Map.of()));
    }
    throw new ConfigException(file + ":" + node.line() + ": '" + path + "' must be a mapping");
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  int line(String name) {
    Integer l = mapping.keyLines().get(name);
    return l == null ? mapping.line() : l;
  }

  ConfigException error(String name, String problem) {
    return new ConfigException(file + ":" + line(name) + ": " + key(name) + ": " + problem);
  }

  Section section(String name) throws ConfigException {
    seen.add(name);
    YamlNode n = mapping.entries().get(name);
    if (n == null) {
      return new Section(file, key(name), new YamlNode.Mapping(mapping.line(), Map.of(), Map.of()));
    }
    return of(file, key(name), n);
  }

  /** Whether the key is written (with any value); marks nothing. */
  boolean has(String name) {
    return mapping.entries().containsKey(name);
  }

  String string(String name, String def) throws ConfigException {
    seen.add(name);
    YamlNode n = mapping.entries().get(name);
    if (n == null) {
      return def;
    }
    if (n instanceof YamlNode.Scalar s) {
      return s.text() == null ? def : s.text();
    }
    throw error(name, "must be a single value, not a list or mapping");
  }

  <T> T parsed(String name, T def, Function<String, T> parse, String expected)
      throws ConfigException {
    String text = string(name, null);
    if (text == null) {
      return def;
    }
    try {
      return parse.apply(text.trim());
    } catch (RuntimeException e) {
      throw error(name, "'" + text + "' is not " + expected);
    }
  }

  long number(String name, long def, long min, long max) throws ConfigException {
    long v = parsed(name, def, Long::parseLong, "a whole number");
    if (v < min || v > max) {
      throw error(name, v + " is out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  boolean bool(String name, boolean def) throws ConfigException {
    return parsed(
        name,
        def,
        s ->
            switch (s) {
              case "true" -> Boolean.TRUE;
              case "false" -> Boolean.FALSE;
              default -> throw new IllegalArgumentException();
            },
        "true or false");
  }

  List<String> strings(String name, List<String> def) throws ConfigException {
    seen.add(name);
    YamlNode n = mapping.entries().get(name);
    if (n == null || n instanceof YamlNode.Scalar s && s.text() == null) {
      return def;
    }
    if (!(n instanceof YamlNode.Sequence seq)) {
      throw error(name, "must be a list");
    }
    List<String> out = new ArrayList<>();
    for (YamlNode item : seq.items()) {
      if (!(item instanceof YamlNode.Scalar s) || s.text() == null) {
        throw new ConfigException(
            file + ":" + item.line() + ": " + key(name) + ": items must be single values");
      }
      out.add(s.text());
    }
    return List.copyOf(out);
  }

  List<Section> sections(String name) throws ConfigException {
    seen.add(name);
    YamlNode n = mapping.entries().get(name);
    if (n == null || n instanceof YamlNode.Scalar s && s.text() == null) {
      return List.of();
    }
    if (!(n instanceof YamlNode.Sequence seq)) {
      throw error(name, "must be a list");
    }
    List<Section> out = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      out.add(of(file, key(name) + "[" + i + "]", seq.items().get(i)));
    }
    return out;
  }

  /** Refuses keys no getter asked for: the first unknown key in file order is reported. */
  void finish() throws ConfigException {
    for (String k : mapping.entries().keySet()) {
      if (!seen.contains(k)) {
        throw error(k, "unknown key");
      }
    }
  }
}
