package org.bellwatch.agent.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns the distinct values of one column as small integers; 0 stands for null. */
final class Dictionary {
  static final int NULL = 0;
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> values = new ArrayList<>(List.of(""));

  int id(String value) {
    if (value == null) {
      return NULL;
    }
    Integer id = ids.get(value);
    if (id == null) {
      id = values.size();
      values.add(value);
      ids.put(value, id);
    }
    return id;
  }

  /** The id of a value already seen, or -1 (matches nothing) when it was never seen. */
  int find(String value) {
    if (value == null) {
      return NULL;
    }
    Integer id = ids.get(value);
    return id == null ? -1 : id;
  }

  String value(int id) {
    return id == NULL ? null : values.get(id);
  }

  int size() {
    return values.size();
  }
}
