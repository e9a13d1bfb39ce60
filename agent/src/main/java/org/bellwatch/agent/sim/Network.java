package org.bellwatch.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * The simulated LAN: devices, the DHCP server and the lease history the truth is computed from.
 *
 * <p>One flat 10.10.0.0/16: router 10.10.0.1, DHCP server 10.10.0.2, resolver 10.10.0.53, dynamic pool
 * 10.10.1.20-10.10.1.250, and one static host in 10.10.2.0/24 that never speaks DHCP.
 */
final class Network {

  enum Kind { CHROMEBOOK, TEACHER_LAPTOP, BYOD, STATIC }

  static final int ROUTER = Wire.ip("10.10.0.1");
  static final int DHCP_SERVER = Wire.ip("10.10.0.2");
  static final int RESOLVER = Wire.ip("10.10.0.53");
  static final int STATIC_IP = Wire.ip("10.10.2.15");
  static final byte[] SERVER_MAC = {0x00, 0x50, 0x56, 0x10, 0x00, 0x02};
  static final byte[] RESOLVER_MAC = {0x00, 0x50, 0x56, 0x10, 0x00, 0x53};
  static final long LEASE_SECS = 3600;
  static final int CB_PER_ROOM = 8;

  static final class Device {
    final Kind kind;
    final String hostname; // null for the static host
    final byte[] mac;
    final String room; // where the simulator keeps it; null for phones and the static host
    int ip;
    long arrive; // epoch micros; first DHCP DISCOVER (or capture start for the static host)
    long depart; // epoch micros; no traffic after this
    boolean releases; // sends a DHCPRELEASE at depart

    Device(Kind kind, String hostname, byte[] mac, String room) {
      this.kind = kind;
      this.hostname = hostname;
      this.mac = mac;
      this.room = room;
    }

    String macString() {
      return Wire.macString(mac);
    }

    @Override
    public String toString() {
      return hostname == null ? Wire.ipString(ip) : hostname;
    }
  }

  /** An address bound to a device from {@code from} (first ACK) until {@code to} (exclusive). */
  record Lease(int ip, Device device, long from, long to) {
  }

  final List<Device> devices = new ArrayList<>();
  final List<Lease> leases = new ArrayList<>();
  final Device staticHost;
  final Device released; // sends RELEASE mid-morning
  final Device reuser; // later gets the released address
  int dhcpMessages;

  /**
   * @param at local wall time of the simulated day (seconds since midnight) → epoch micros
   */
  Network(SplittableRandom rnd, School school, LongUnaryOperator at) {
    List<byte[]> macs = new ArrayList<>();
    for (String room : school.rooms) {
      for (int i = 1; i <= CB_PER_ROOM; i++) {
        Device d = new Device(Kind.CHROMEBOOK, String.format("%s-CB%02d", room, i),
            mac(rnd, macs, new int[] {0xa4, 0x34, 0xd9}), room);
        d.arrive = at.applyAsLong(7 * 3600 + 30 * 60 + 5) + rnd.nextLong(14L * 60 * 1_000_000);
        devices.add(d);
      }
      Device t = new Device(Kind.TEACHER_LAPTOP, room + "-T",
          mac(rnd, macs, new int[] {0x3c, 0x22, 0xfb}), room);
      t.arrive = at.applyAsLong(7 * 3600 + 30 * 60 + 10) + rnd.nextLong(14L * 60 * 1_000_000);
      devices.add(t);
    }
    String[] phones = {"android-" + hex(rnd, 6), "iPhone", "android-" + hex(rnd, 6), "Galaxy-S23"};
    for (String name : phones) {
      Device p = new Device(Kind.BYOD, name, mac(rnd, macs, null), null);
      p.arrive = at.applyAsLong(7 * 3600 + 35 * 60) + rnd.nextLong(25L * 60 * 1_000_000);
      devices.add(p);
    }
    for (Device d : devices) {
      d.depart = at.applyAsLong(15 * 3600) + rnd.nextLong(29L * 60 * 1_000_000);
    }
    released = byName("RM102-CB06");
    released.releases = true;
    released.depart = at.applyAsLong(10 * 3600 + 12 * 60) + rnd.nextLong(50_000_000);
    reuser = new Device(Kind.CHROMEBOOK, "RM105-CB09", mac(rnd, macs, new int[] {0xa4, 0x34, 0xd9}),
        "RM105");
    reuser.arrive = at.applyAsLong(10 * 3600 + 50 * 60) + rnd.nextLong(50_000_000);
    reuser.depart = at.applyAsLong(15 * 3600 + 10 * 60) + rnd.nextLong(60_000_000);
    devices.add(reuser);
    staticHost = new Device(Kind.STATIC, null, mac(rnd, macs, new int[] {0x00, 0x1b, 0x21}), null);
    staticHost.ip = STATIC_IP;
    staticHost.arrive = at.applyAsLong(7 * 3600 + 30 * 60);
    staticHost.depart = at.applyAsLong(15 * 3600 + 30 * 60);
    devices.add(staticHost);

    // Addresses: a shuffled pool handed out in arrival order; the reuser gets the released address.
    List<Integer> pool = new ArrayList<>();
    for (int host = 20; host <= 250; host++) {
      pool.add(Wire.ip("10.10.1." + host));
    }
    School.shuffle(pool, rnd);
    List<Device> byArrival = new ArrayList<>(devices);
    byArrival.sort((a, b) -> Long.compare(a.arrive, b.arrive));
    int next = 0;
    for (Device d : byArrival) {
      if (d.kind == Kind.STATIC) {
        continue;
      }
      d.ip = d == reuser ? released.ip : pool.get(next++);
    }
  }

  Device byName(String hostname) {
    for (Device d : devices) {
      if (hostname.equals(d.hostname)) {
        return d;
      }
    }
    throw new IllegalArgumentException(hostname);
  }

  /** The lease holding {@code ip} at {@code t}, or null (the simulator's own model, not a decode). */
  Lease leaseAt(int ip, long t) {
    for (Lease l : leases) {
      if (l.ip() == ip && l.from() <= t && t < l.to()) {
        return l;
      }
    }
    return null;
  }

  boolean active(Device d, long t) {
    if (d.kind == Kind.STATIC) {
      return t >= d.arrive && t < d.depart;
    }
    Lease l = leaseAt(d.ip, t);
    return l != null && l.device() == d && t < d.depart;
  }

  /** Generates every DHCP exchange into {@code frames} and records the resulting leases. */
  void dhcp(SplittableRandom rnd, List<Wire.Frame> frames, long[] seq) {
    List<Device> byArrival = new ArrayList<>(devices);
    byArrival.sort((a, b) -> Long.compare(a.arrive, b.arrive));
    for (Device d : byArrival) {
      if (d.kind == Kind.STATIC) {
        continue;
      }
      long xid = rnd.nextLong(1L << 32);
      long t = d.arrive;
      frames.add(new Wire.Frame(t, seq[0]++, clientBroadcast(d, rnd,
          Wire.dhcp(1, xid, 0, true, 0, 0, 0, chaddr(d), List.of(Wire.Opt.u8(53, 1), clientId(d),
              Wire.Opt.text(12, d.hostname), paramList())))));
      t += 2_000 + rnd.nextLong(400_000);
      frames.add(new Wire.Frame(t, seq[0]++, serverBroadcast(rnd,
          Wire.dhcp(2, xid, 0, true, 0, d.ip, DHCP_SERVER, chaddr(d), serverOpts(2)))));
      t += 5_000 + rnd.nextLong(60_000);
      frames.add(new Wire.Frame(t, seq[0]++, clientBroadcast(d, rnd,
          Wire.dhcp(1, xid, 0, true, 0, 0, 0, chaddr(d), List.of(Wire.Opt.u8(53, 3), clientId(d),
              Wire.Opt.ips(50, d.ip), Wire.Opt.ips(54, DHCP_SERVER), Wire.Opt.text(12, d.hostname),
              paramList())))));
      t += 1_000 + rnd.nextLong(20_000);
      frames.add(new Wire.Frame(t, seq[0]++, serverBroadcast(rnd,
          Wire.dhcp(2, xid, 0, true, 0, d.ip, DHCP_SERVER, chaddr(d), serverOpts(5)))));
      dhcpMessages += 4;
      long from = t;
      long expires = t + LEASE_SECS * 1_000_000;
      // Renewing (RFC 2131 4.4.5): unicast REQUEST with ciaddr, no 50/54, shortly before T1.
      long renew = t + LEASE_SECS / 2 * 1_000_000 - rnd.nextLong(30_000_000);
      while (renew < d.depart) {
        xid = rnd.nextLong(1L << 32);
        frames.add(new Wire.Frame(renew, seq[0]++, Wire.udpFrame(d.mac, SERVER_MAC, d.ip,
            DHCP_SERVER, 68, 67, rnd.nextInt(65536), 64, Wire.dhcp(1, xid, 0, false, d.ip, 0, 0,
                chaddr(d), List.of(Wire.Opt.u8(53, 3), clientId(d), Wire.Opt.text(12, d.hostname),
                    paramList())))));
        long ack = renew + 1_000 + rnd.nextLong(20_000);
        frames.add(new Wire.Frame(ack, seq[0]++, Wire.udpFrame(SERVER_MAC, d.mac, DHCP_SERVER,
            d.ip, 67, 68, rnd.nextInt(65536), 64, Wire.dhcp(2, xid, 0, false, d.ip, d.ip,
                DHCP_SERVER, chaddr(d), serverOpts(5)))));
        dhcpMessages += 2;
        expires = ack + LEASE_SECS * 1_000_000;
        renew = ack + LEASE_SECS / 2 * 1_000_000 - rnd.nextLong(30_000_000);
      }
      if (d.releases) {
        frames.add(new Wire.Frame(d.depart, seq[0]++, Wire.udpFrame(d.mac, SERVER_MAC, d.ip,
            DHCP_SERVER, 68, 67, rnd.nextInt(65536), 64, Wire.dhcp(1, rnd.nextLong(1L << 32), 0,
                false, d.ip, 0, 0, chaddr(d), List.of(Wire.Opt.u8(53, 7),
                    Wire.Opt.ips(54, DHCP_SERVER), clientId(d))))));
        dhcpMessages += 1;
        expires = d.depart;
      }
      leases.add(new Lease(d.ip, d, from, expires));
    }
  }

  private static byte[] clientBroadcast(Device d, SplittableRandom rnd, byte[] payload) {
    return Wire.udpFrame(d.mac, Wire.BROADCAST_MAC, 0, Wire.BROADCAST_IP, 68, 67,
        rnd.nextInt(65536), 64, payload);
  }

  private static byte[] serverBroadcast(SplittableRandom rnd, byte[] payload) {
    return Wire.udpFrame(SERVER_MAC, Wire.BROADCAST_MAC, DHCP_SERVER, Wire.BROADCAST_IP, 67, 68,
        rnd.nextInt(65536), 64, payload);
  }

  private static List<Wire.Opt> serverOpts(int msgType) {
    return List.of(Wire.Opt.u8(53, msgType), Wire.Opt.ips(54, DHCP_SERVER),
        Wire.Opt.u32(51, LEASE_SECS), Wire.Opt.u32(58, LEASE_SECS / 2),
        Wire.Opt.u32(59, LEASE_SECS * 7 / 8), Wire.Opt.ips(1, Wire.ip("255.255.0.0")),
        Wire.Opt.ips(3, ROUTER), Wire.Opt.ips(6, RESOLVER), Wire.Opt.text(15, "bellwatch-usd.org"));
  }

  private static Wire.Opt clientId(Device d) {
    byte[] v = new byte[7];
    v[0] = 1;
    System.arraycopy(d.mac, 0, v, 1, 6);
    return new Wire.Opt(61, v);
  }

  private static Wire.Opt paramList() {
    return new Wire.Opt(55, new byte[] {1, 3, 6, 15, 26, 28, 51, 58, 59, 119});
  }

  private static byte[] chaddr(Device d) {
    byte[] c = new byte[16];
    System.arraycopy(d.mac, 0, c, 0, 6);
    return c;
  }

  /** A unique MAC: the given OUI, or a random locally administered one (phones randomise). */
  private static byte[] mac(SplittableRandom rnd, List<byte[]> taken, int[] oui) {
    while (true) {
      byte[] m = new byte[6];
      for (int i = 0; i < 6; i++) {
        m[i] = (byte) rnd.nextInt(256);
      }
      if (oui != null) {
        for (int i = 0; i < 3; i++) {
          m[i] = (byte) oui[i];
        }
      } else {
        m[0] = (byte) ((m[0] & 0xFC) | 0x02);
      }
      boolean dup = false;
      for (byte[] t : taken) {
        dup |= java.util.Arrays.equals(t, m);
      }
      if (!dup) {
        taken.add(m);
        return m;
      }
    }
  }

  private static String hex(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("0123456789abcdef".charAt(rnd.nextInt(16)));
    }
    return sb.toString();
  }
}
