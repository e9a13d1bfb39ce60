package org.bellwatch.agent.util;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry beyond a fixed size: the table behind every
 * limiter keyed by something an outsider chooses (an address, a username, a log template), so that
 * choosing many keys cannot grow the heap. Not synchronized; its owners lock around it.
 */
public final class LruMap<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  private final int maxEntries;

  public LruMap(int maxEntries) {
    super(64, 0.75f, true);
    this.maxEntries = maxEntries;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > maxEntries;
  }
}
