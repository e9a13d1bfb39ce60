package org.bellwatch.agent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.bellwatch.agent.access.Session;
import org.bellwatch.agent.access.Sessions;

/** Console sessions in a sorted map by id hash, for route tests that run without the store. */
public final class InMemorySessions implements Sessions {
  private final Map<String, Session> byHash = new ConcurrentSkipListMap<>();

  @Override
  public Optional<Session> get(String idHash) {
    return Optional.ofNullable(byHash.get(idHash));
  }

  @Override
  public void put(Session s) {
    byHash.put(s.idHash(), s);
  }

  @Override
  public void delete(String idHash) {
    byHash.remove(idHash);
  }

  @Override
  public List<Session> list() {
    return new ArrayList<>(byHash.values());
  }
}
