package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwatch.agent.access.Session;
import org.bellwatch.agent.access.Sessions;

/** Console sessions in the {@code sessions} family, keyed by the hash of their id. */
final class StoredSessions implements Sessions {
  static final int VERSION = 1;
  private final KeyValues kv;

  StoredSessions(KeyValues kv) {
    this.kv = kv;
  }

  @Override
  public Optional<Session> get(String idHash) throws StoreException {
    byte[] v = kv.get(idHash.getBytes(StandardCharsets.UTF_8));
    return v == null ? Optional.empty() : Optional.of(decode(v));
  }

  @Override
  public void put(Session s) throws StoreException {
    kv.put(
        s.idHash().getBytes(StandardCharsets.UTF_8),
        Records.bytes(
            Records.object(VERSION)
                .put("id_hash", s.idHash())
                .put("username", s.username())
                .put("csrf_token", s.csrfToken())
                .put("created", Records.iso(s.created()))
                .put("last_seen", Records.iso(s.lastSeen()))
                .put("client", s.client())));
  }

  @Override
  public void delete(String idHash) throws StoreException {
    kv.delete(idHash.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public List<Session> list() throws StoreException {
    List<Session> out = new ArrayList<>();
    for (KeyValues.Entry e : kv.scan(null, false, Integer.MAX_VALUE)) {
      out.add(decode(e.value()));
    }
    return out;
  }

  private static Session decode(byte[] v) throws StoreException {
    JsonNode o = Records.read(v, VERSION, "session");
    return new Session(
        Records.text(o, "id_hash"),
        Records.text(o, "username"),
        Records.text(o, "csrf_token"),
        Records.instant(o, "created"),
        Records.instant(o, "last_seen"),
        Records.text(o, "client"));
  }
}
