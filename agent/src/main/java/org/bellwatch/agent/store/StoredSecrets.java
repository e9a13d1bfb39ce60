package org.bellwatch.agent.store;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bellwatch.agent.access.Secrets;

/**
 * Random keys generated on first use and kept in the {@code secrets} family (so they survive
 * restarts and backups).
 */
final class StoredSecrets implements Secrets {
  private final KeyValues kv;

  StoredSecrets(KeyValues kv) {
    this.kv = kv;
  }

  @Override
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
