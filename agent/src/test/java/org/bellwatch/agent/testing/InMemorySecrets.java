package org.bellwatch.agent.testing;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.bellwatch.agent.access.Secrets;

/** Secrets made on first use and kept in a map, for route tests that run without the store. */
public final class InMemorySecrets implements Secrets {
  private final Map<String, byte[]> byName = new HashMap<>();
  private final SecureRandom random = new SecureRandom();

  @Override
  public synchronized byte[] getOrCreate(String name, int bytes) {
    return byName
        .computeIfAbsent(
            name,
            n -> {
              byte[] v = new byte[bytes];
              random.nextBytes(v);
              return v;
            })
        .clone();
  }
}
