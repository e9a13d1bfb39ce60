package org.bellwatch.agent.ingest.tail;

import java.io.IOException;
import java.util.Map;

/**
 * The stored marks of tailed files (the store's {@code offsets} column family), read when a file is
 * found.
 */
public interface Checkpoints {
  /** Every stored mark whose source id starts with {@code prefix}. */
  Map<String, Mark> withPrefix(String prefix) throws IOException;

  Checkpoints NONE = prefix -> Map.of();
}
