package org.bellwatch.agent.store;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Random keys generated on first use and kept in the store (so they survive restarts and backups). */
public final class Secrets {
  private final KeyValues kv;

  Secrets(KeyValues kv) {
    this.kv = kv;
  }

  /** The secret called {@code name}, created with {@code bytes} random bytes when it does not exist yet. */
  public synchronized byte[] getOrCreate(String name, int bytes) throws StoreException {
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = kv.get(key);
    if (v == null) {
      v = new byte[bytes];
      new SecureRandom().nextBytes(v);
      kv.put(key, v);
    }
    return v;
  }
}
