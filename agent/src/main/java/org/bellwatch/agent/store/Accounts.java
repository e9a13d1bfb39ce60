package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Console accounts, keyed by lower-case username. */
public final class Accounts {
  static final int VERSION = 1;
  /** Usernames: 1 to 64 of letters, digits, '.', '_', '-', '@' (an e-mail address fits). */
  public static final Pattern USERNAME = Pattern.compile("[a-z0-9._@-]{1,64}");
  private final KeyValues kv;

  Accounts(KeyValues kv) {
    this.kv = kv;
  }

  /** The canonical form of a username (lower case, trimmed), or null when it is not a valid username. */
  public static String normalize(String username) {
    if (username == null) {
      return null;
    }
    String u = username.trim().toLowerCase(Locale.ROOT);
    return USERNAME.matcher(u).matches() ? u : null;
  }

  public Optional<Account> get(String username) throws StoreException {
    String u = normalize(username);
    if (u == null) {
      return Optional.empty();
    }
    byte[] v = kv.get(u.getBytes(StandardCharsets.UTF_8));
    return v == null ? Optional.empty() : Optional.of(decode(v));
  }

  /** Every account, by username. */
  public List<Account> list() throws StoreException {
    List<Account> out = new ArrayList<>();
    for (KeyValues.Entry e : kv.scan(null, false, Integer.MAX_VALUE)) {
      out.add(decode(e.value()));
    }
    return out;
  }

  /** Creates or replaces the account (its username must be normalized). */
  public void put(Account a) throws StoreException {
    if (!a.username().equals(normalize(a.username()))) {
      throw new IllegalArgumentException("username not normalized: " + a.username());
    }
    kv.put(a.username().getBytes(StandardCharsets.UTF_8), Records.bytes(Records.object(VERSION)
        .put("username", a.username()).put("role", a.role()).put("password_hash", a.passwordHash())
        .put("disabled", a.disabled()).put("created", Records.iso(a.created()))
        .put("updated", Records.iso(a.updated()))));
  }

  private static Account decode(byte[] v) throws StoreException {
    JsonNode o = Records.read(v, VERSION, "account");
    return new Account(Records.text(o, "username"), Records.text(o, "role"), Records.text(o, "password_hash"),
        o.path("disabled").asBoolean(), Records.instant(o, "created"), Records.instant(o, "updated"));
  }
}
