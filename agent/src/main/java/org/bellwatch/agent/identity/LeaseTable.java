package org.bellwatch.agent.identity;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bellwatch.agent.event.Lease;

/**
 * DHCP lease history: for each IP, the devices that held it over time, so that a block at instant t
 * is attributed to the device that held the address at t, not to whoever holds it now.
 *
 * <p>Observations follow RFC 2131: a DHCPACK binds (section 3.1 step 5; a renewal ACK from the same
 * client extends the binding, section 4.4.5); a DHCPRELEASE (section 4.4.6) or a DHCPDECLINE ends
 * it; an ACK of the same address to another client ends the previous binding at that moment. Not
 * thread-safe: owned by the pipeline thread.
 *
 * <p>Every new or changed record is handed to a listener (the store keeps the history across
 * restarts). A binding that renewals keep alive for longer than {@link #RECORD_SPAN} is continued
 * in a new record that starts at the renewal: records stay short, so the store can drop old ones by
 * start time, and the evidence of a long-lived binding names a recent acknowledgement rather than
 * one from months ago.
 */
public final class LeaseTable {
  /** Longest time one record covers before a renewal starts the next (see the class comment). */
  public static final Duration RECORD_SPAN = Duration.ofDays(1);

  private final Map<InetAddress, List<Lease>> history = new HashMap<>();
  private final Consumer<Lease> changed;
  private int records;

  /**
   * MACs heard since the last {@link #prune}: their host names are kept even without a lease yet.
   */
  private final Set<String> heardSincePrune = new HashSet<>();

  private final Map<String, String> hostnameByMac = new HashMap<>();
  private final Map<String, String> circuitByMac = new HashMap<>();

  /**
   * One string instance per MAC: every observation brings a new copy, and a history of a million
   * bindings would otherwise hold a million copies of ten thousand addresses.
   */
  private final Map<String, String> canonicalMacs = new HashMap<>();

  /** A table whose changes go nowhere (replay without a store, tests). */
  public LeaseTable() {
    this(l -> {});
  }

  /** {@code changed} receives every record this table adds or changes, in the order it happens. */
  public LeaseTable(Consumer<Lease> changed) {
    this.changed = changed;
  }

  /**
   * Remembers the host name a client announced (option 12 of DISCOVER/REQUEST), which ACKs often
   * omit.
   */
  public void observeHostname(String mac, String hostname) {
    if (mac != null
        && hostname != null
        && !hostname.isBlank()
        && !hostname.equals(hostnameByMac.get(mac))) {
      mac = canonicalMac(mac);
      hostnameByMac.put(mac, hostname);
      heardSincePrune.add(mac);
    }
  }

  /**
   * Remembers the switch port a relay agent reported for a client (option 82 circuit id, RFC 3046).
   */
  public void observeCircuit(String mac, String circuitId) {
    if (mac != null
        && circuitId != null
        && !circuitId.isBlank()
        && !circuitId.equals(circuitByMac.get(mac))) {
      mac = canonicalMac(mac);
      circuitByMac.put(mac, circuitId);
      heardSincePrune.add(mac);
    }
  }

  /** A DHCPACK of {@code ip} to {@code mac} at {@code at} for {@code leaseSecs}. */
  public void acknowledge(
      InetAddress ip, String mac, String hostname, Instant at, long leaseSecs, String evidence) {
    mac = canonicalMac(mac);
    String known = hostnameByMac.get(mac);
    String name = hostname == null || hostname.equals(known) ? known : hostname;
    String circuit = circuitByMac.get(mac);
    Instant end = at.plusSeconds(leaseSecs);
    List<Lease> leases = history.computeIfAbsent(ip, k -> new ArrayList<>());
    Lease last = leases.isEmpty() ? null : leases.get(leases.size() - 1);
    boolean sameClient = last != null && last.mac().equals(mac) && !at.isAfter(last.end());
    if (sameClient && at.isBefore(last.start().plus(RECORD_SPAN))) {
      // Renewal or rebinding: the same binding continues with a later end.
      Lease renewed =
          new Lease(
              ip,
              mac,
              name != null ? name : last.hostname(),
              circuit != null ? circuit : last.circuitId(),
              last.start(),
              end.isAfter(last.end()) ? end : last.end(),
              last.evidence());
      if (!renewed.equals(last)) {
        replaceLast(leases, renewed);
      }
      return;
    }
    if (last != null && at.isBefore(last.end())) {
      // Another client got the address, or a long binding continues in a new record: the old one
      // ends here.
      replaceLast(leases, withEnd(last, at));
    }
    Lease next =
        new Lease(
            ip,
            mac,
            sameClient && name == null ? last.hostname() : name,
            sameClient && circuit == null ? last.circuitId() : circuit,
            at,
            end,
            evidence);
    leases.add(next);
    records++;
    changed.accept(next);
  }

  /**
   * Puts back a record kept in the store when the agent starts. Records arrive in start order; a
   * record that starts before the address's last one (impossible from a store written by this
   * class) is skipped.
   */
  public void restore(Lease l) {
    String mac = canonicalMac(l.mac());
    List<Lease> leases = history.computeIfAbsent(l.ip(), k -> new ArrayList<>());
    if (!leases.isEmpty() && l.start().isBefore(leases.get(leases.size() - 1).start())) {
      return;
    }
    leases.add(
        new Lease(l.ip(), mac, l.hostname(), l.circuitId(), l.start(), l.end(), l.evidence()));
    records++;
    if (l.hostname() != null) {
      hostnameByMac.put(mac, l.hostname());
    }
    if (l.circuitId() != null) {
      circuitByMac.put(mac, l.circuitId());
    }
  }

  /**
   * Forgets records that ended before {@code before}, and the host names and circuits of devices
   * left with no record (unless heard since the last prune): memory stays bounded by recent
   * history, not by how long the agent has run. The store keeps the forgotten records until
   * retention deletes them.
   */
  public void prune(Instant before) {
    Set<String> live = new HashSet<>(heardSincePrune);
    for (Iterator<List<Lease>> it = history.values().iterator(); it.hasNext(); ) {
      List<Lease> leases = it.next();
      int old = 0;
      // Records of one address are in time order, and each ends no later than the next starts.
      while (old < leases.size() && leases.get(old).end().isBefore(before)) {
        old++;
      }
      if (old > 0) {
        leases.subList(0, old).clear();
        records -= old;
      }
      if (leases.isEmpty()) {
        it.remove();
      } else {
        leases.forEach(l -> live.add(l.mac()));
      }
    }
    hostnameByMac.keySet().retainAll(live);
    circuitByMac.keySet().retainAll(live);
    canonicalMacs.keySet().retainAll(live);
    heardSincePrune.clear();
  }

  /**
   * A DHCPRELEASE or DHCPDECLINE by {@code mac} of {@code ip} at {@code at}: the binding ends
   * there.
   */
  public void end(InetAddress ip, String mac, Instant at) {
    List<Lease> leases = history.get(ip);
    if (leases == null || leases.isEmpty()) {
      return;
    }
    Lease last = leases.get(leases.size() - 1);
    if (last.mac().equals(mac) && last.covers(at)) {
      replaceLast(leases, withEnd(last, at));
    }
  }

  private void replaceLast(List<Lease> leases, Lease l) {
    leases.set(leases.size() - 1, l);
    changed.accept(l);
  }

  /** The lease that covered {@code ip} at {@code t}, or null. */
  public Lease at(InetAddress ip, Instant t) {
    List<Lease> leases = history.get(ip);
    if (leases == null) {
      return null;
    }
    for (int i = leases.size() - 1; i >= 0; i--) {
      Lease l = leases.get(i);
      if (l.covers(t)) {
        return l;
      }
      if (l.end().isBefore(t)) {
        // Leases of one address are kept in time order: nothing earlier can cover t.
        return null;
      }
    }
    return null;
  }

  private String canonicalMac(String mac) {
    String c = canonicalMacs.putIfAbsent(mac, mac);
    return c != null ? c : mac;
  }

  public int addressCount() {
    return history.size();
  }

  /** Lease records held in memory. */
  public int recordCount() {
    return records;
  }

  /** Devices (MAC addresses) whose host name is known from DHCP. */
  public int hostnameCount() {
    return hostnameByMac.size();
  }

  private static Lease withEnd(Lease l, Instant end) {
    return new Lease(l.ip(), l.mac(), l.hostname(), l.circuitId(), l.start(), end, l.evidence());
  }
}
