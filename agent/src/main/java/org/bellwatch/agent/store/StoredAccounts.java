package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;

/** Console accounts in the {@code accounts} family, keyed by lower-case username. */
final class StoredAccounts implements Accounts {
  static final int VERSION = 1;
  private final KeyValues kv;

  StoredAccounts(KeyValues kv) {
    this.kv = kv;
  }

  @Override
  public Optional<Account> get(String username) throws StoreException {
    String u = Accounts.normalize(username);
    if (u == null) {
      return Optional.empty();
    }
    byte[] v = kv.get(u.getBytes(StandardCharsets.UTF_8));
    return v == null ? Optional.empty() : Optional.of(decode(v));
  }

  @Override
  public List<Account> list() throws StoreException {
    List<Account> out = new ArrayList<>();
    for (KeyValues.Entry e : kv.scan(null, false, Integer.MAX_VALUE)) {
      out.add(decode(e.value()));
    }
    return out;
  }

  @Override
  public void put(Account a) throws StoreException {
    Accounts.requireNormalized(a);
    kv.put(
        a.username().getBytes(StandardCharsets.UTF_8),
        Records.bytes(
            Records.object(VERSION)
                .put("username", a.username())
                .put("role", a.role())
                .put("password_hash", a.passwordHash())
                .put("disabled", a.disabled())
                .put("created", Records.iso(a.created()))
                .put("updated", Records.iso(a.updated()))));
  }

  private static Account decode(byte[] v) throws StoreException {
    JsonNode o = Records.read(v, VERSION, "account");
    return new Account(
        Records.text(o, "username"),
        Records.text(o, "role"),
        Records.text(o, "password_hash"),
        o.path("disabled").asBoolean(),
        Records.instant(o, "created"),
        Records.instant(o, "updated"));
  }
}
