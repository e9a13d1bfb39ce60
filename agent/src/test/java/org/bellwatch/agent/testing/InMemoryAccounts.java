package org.bellwatch.agent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.event.StorageException;

/**
 * Console accounts in a sorted map, for route tests that run without the store. {@link
 * #becomeUnavailable} makes every later call fail as a store does whose disk went away.
 */
public final class InMemoryAccounts implements Accounts {
  private final Map<String, Account> byName = new ConcurrentSkipListMap<>();
  private volatile String unavailable;

  /** From now on every call fails with a {@link StorageException} saying {@code why}. */
  public void becomeUnavailable(String why) {
    unavailable = why;
  }

  private void check() throws StorageException {
    if (unavailable != null) {
      throw new StorageException("accounts: " + unavailable, null);
    }
  }

  @Override
  public Optional<Account> get(String username) throws StorageException {
    check();
    String u = Accounts.normalize(username);
    return u == null ? Optional.empty() : Optional.ofNullable(byName.get(u));
  }

  @Override
  public List<Account> list() throws StorageException {
    check();
    return new ArrayList<>(byName.values());
  }

  @Override
  public void put(Account a) throws StorageException {
    check();
    Accounts.requireNormalized(a);
    byName.put(a.username(), a);
  }
}
