package org.bellwatch.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * The simulated LAN: devices, the DHCP server and the lease history the truth is computed from.
 *
 * <p>One flat 10.10.0.0/16: router 10.10.0.1, DHCP server 10.10.0.2, resolver 10.10.0.53, dynamic
 * pool 10.10.1.20-10.10.1.250, and one static host in 10.10.2.0/24 that never speaks DHCP.
 *
 * <p>Design note (one class): the devices, the DHCP server and the lease history are one model: the
 * truth's lease lookups read the history that the simulated DHCP exchanges wrote.
 */
final class Network {

  enum Kind {
    CHROMEBOOK,
    TEACHER_LAPTOP,
    BYOD,
    STATIC
  }

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

    /**
     * School scale: 1 (its DHCP is on the mirror port and logged at once) or 2 (logged only, late).
     */
    int server = 1;

    /**
     * A dual-stack device's IPv6 address, from which it sends its DNS (see {@link #dualStack});
     * else null.
     */
    byte[] ipv6;

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
  record Lease(int ip, Device device, long from, long to) {}

  /** One line of the DHCP server's syslog file: event time, when the collector wrote it, text. */
  record LogLine(long time, long delivered, long seq, String text) {}

  final List<Device> devices = new ArrayList<>();
  final List<Lease> leases = new ArrayList<>();
  private final java.util.Map<Device, List<Lease>> leasesByDevice = new java.util.HashMap<>();
  final Device staticHost;
  final Device released; // sends RELEASE mid-morning
  final Device reuser; // later gets the released address
  int dhcpMessages;

  /** School scale: ISC dhcpd lines of both servers as the syslog collector wrote them. */
  final List<LogLine> dhcpLog = new ArrayList<>();

  /**
   * School scale: when the second server's shipper flushed the batch that carries the reuse
   * scenario.
   */
  long lateFlush = -1;

  private final School school;
  private final LongUnaryOperator at;

  /** Option 51 of every ACK: {@link #LEASE_SECS}, or the term's longer lease. */
  private final long leaseSecs;

  /**
   * Term scale: the day's devices come from the caller and all lease from server 1 (see {@link
   * #forDay}).
   */
  private final boolean term;

  /**
   * @param at local wall time of the simulated day (seconds since midnight) → epoch micros
   */
  Network(SplittableRandom rnd, School school, LongUnaryOperator at) {
    this.school = school;
    this.at = at;
    this.leaseSecs = LEASE_SECS;
    this.term = false;
    if (!school.scale.isSample()) {
      SchoolNet n = schoolDevices(rnd, school, at);
      this.staticHost = n.staticHost;
      this.released = n.released;
      this.reuser = n.reuser;
      return;
    }
    List<byte[]> macs = new ArrayList<>();
    for (String room : school.rooms) {
      for (int i = 1; i <= CB_PER_ROOM; i++) {
        Device d =
            new Device(
                Kind.CHROMEBOOK,
                String.format("%s-CB%02d", room, i),
                mac(rnd, macs, new int[] {0xa4, 0x34, 0xd9}),
                room);
        d.arrive = at.applyAsLong(7 * 3600 + 30 * 60 + 5) + rnd.nextLong(14L * 60 * 1_000_000);
        devices.add(d);
      }
      Device t =
          new Device(
              Kind.TEACHER_LAPTOP, room + "-T", mac(rnd, macs, new int[] {0x3c, 0x22, 0xfb}), room);
      t.arrive = at.applyAsLong(7 * 3600 + 30 * 60 + 10) + rnd.nextLong(14L * 60 * 1_000_000);
      devices.add(t);
    }
    String[] phones = {"android-" + hex(rnd, 6), "iPhone", "android-" + hex(rnd, 6), "Galaxy-S23"};
    for (String name : phones) {
      Device p = new Device(Kind.BYOD, name, mac(rnd, macs, null), null);
      p.arrive = at.applyAsLong(7 * 3600 + 35 * 60) + rnd.nextLong(25L * 60 * 1_000_000);
      devices.add(p);
    }
    // Two dual-stack Chromebooks, one per SLAAC address kind, so the golden replay covers blocks
    // whose
    // DNS came over IPv6 (the address learned from the query frame's Ethernet source or its EUI-64
    // id).
    dualStack(byName("RM101-CB08"), true);
    dualStack(byName("RM104-CB08"), false);
    for (Device d : devices) {
      d.depart = at.applyAsLong(15 * 3600) + rnd.nextLong(29L * 60 * 1_000_000);
    }
    released = byName("RM102-CB06");
    released.releases = true;
    released.depart = at.applyAsLong(10 * 3600 + 12 * 60) + rnd.nextLong(50_000_000);
    reuser =
        new Device(
            Kind.CHROMEBOOK, "RM105-CB09", mac(rnd, macs, new int[] {0xa4, 0x34, 0xd9}), "RM105");
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

  private Network(School school, LongUnaryOperator at, List<Device> present, long leaseSecs) {
    this.school = school;
    this.at = at;
    this.leaseSecs = leaseSecs;
    this.term = true;
    this.devices.addAll(present);
    this.staticHost = null;
    this.released = null;
    this.reuser = null;
  }

  /**
   * One school day of a term: {@code present} are the devices switched on that day, whose address,
   * arrival and departure the caller set; every one gets its leases from server 1 (on the mirror
   * port), and keeps the address it had the day before, as DHCP servers offer a returning client
   * its previous address (RFC 2131 section 4.3.1).
   */
  static Network forDay(School school, LongUnaryOperator at, List<Device> present, long leaseSecs) {
    return new Network(school, at, present, leaseSecs);
  }

  Device byName(String hostname) {
    for (Device d : devices) {
      if (hostname.equals(d.hostname)) {
        return d;
      }
    }
    throw new IllegalArgumentException(hostname);
  }

  private record SchoolNet(Device staticHost, Device released, Device reuser) {}

  /**
   * School scale: {@code cbPerRoom} Chromebooks and a teacher laptop per room, phones, one static
   * host. Rooms in the first half of the list (and even-numbered phones) get their leases from
   * server 1, whose DHCP the mirror port sees; the others from server 2, behind a relay the mirror
   * port does not see, whose log lines reach the collector in batches up to 20 s late. Some devices
   * leave mid-day (half of them releasing) and some phones arrive mid-day: a recycled address goes
   * to the next arrival, so addresses are reused by devices of other rooms. The released/reuser
   * pair is placed by {@link #dhcp} (its times depend on server 1's traffic).
   */
  private SchoolNet schoolDevices(SplittableRandom rnd, School school, LongUnaryOperator at) {
    List<byte[]> macs = new ArrayList<>();
    int half = school.rooms.size() / 2;
    for (int r = 0; r < school.rooms.size(); r++) {
      String room = school.rooms.get(r);
      for (int i = 1; i <= school.scale.chromebooksPerRoom(); i++) {
        Device d =
            new Device(
                Kind.CHROMEBOOK,
                String.format("%s-CB%02d", room, i),
                mac(rnd, macs, new int[] {0xa4, 0x34, 0xd9}),
                room);
        d.arrive = at.applyAsLong(7 * 3600 + 30 * 60 + 5) + rnd.nextLong(14L * 60 * 1_000_000);
        d.server = r < half ? 1 : 2;
        if (d.server == 1 && i % 4 == 0) {
          dualStack(d, r % 2 == 0);
        }
        devices.add(d);
      }
      Device t =
          new Device(
              Kind.TEACHER_LAPTOP, room + "-T", mac(rnd, macs, new int[] {0x3c, 0x22, 0xfb}), room);
      t.arrive = at.applyAsLong(7 * 3600 + 30 * 60 + 10) + rnd.nextLong(14L * 60 * 1_000_000);
      t.server = r < half ? 1 : 2;
      devices.add(t);
    }
    for (int i = 0; i < school.scale.phones(); i++) {
      String name =
          switch (i % 3) {
            case 0 -> "android-" + hex(rnd, 6);
            case 1 -> "iPhone-" + hex(rnd, 4);
            default -> "Galaxy-" + hex(rnd, 4);
          };
      Device p = new Device(Kind.BYOD, name, mac(rnd, macs, null), null);
      p.arrive =
          rnd.nextInt(100) < 20
              ? at.applyAsLong(9 * 3600 + 30 * 60)
                  + rnd.nextLong(4L * 3600 * 1_000_000) // arrives late
              : at.applyAsLong(7 * 3600 + 35 * 60) + rnd.nextLong(25L * 60 * 1_000_000);
      p.server = i % 2 == 0 ? 1 : 2;
      devices.add(p);
    }
    for (Device d : devices) {
      d.depart = at.applyAsLong(15 * 3600) + rnd.nextLong(29L * 60 * 1_000_000);
      if (d.kind != Kind.TEACHER_LAPTOP && rnd.nextInt(100) < 6) {
        long leave = at.applyAsLong(10 * 3600) + rnd.nextLong(210L * 60 * 1_000_000);
        if (leave > d.arrive + 40L * 60 * 1_000_000) {
          d.depart = leave; // leaves mid-day
          d.releases = rnd.nextBoolean();
        }
      }
    }
    // The scenario pair: a Chromebook of the first server-2 room releases its address and an extra
    // Chromebook of the same room gets it seconds later; both only in server 2's late log.
    Device released = devices.get(half * (school.scale.chromebooksPerRoom() + 1));
    released.releases = true;
    String room = released.room;
    Device reuser =
        new Device(
            Kind.CHROMEBOOK,
            String.format("%s-CB%02d", room, school.scale.chromebooksPerRoom() + 1),
            mac(rnd, macs, new int[] {0xa4, 0x34, 0xd9}),
            room);
    reuser.server = 2;
    reuser.depart = at.applyAsLong(15 * 3600 + 10 * 60) + rnd.nextLong(60_000_000);
    devices.add(reuser);
    Device fixed =
        new Device(Kind.STATIC, null, mac(rnd, macs, new int[] {0x00, 0x1b, 0x21}), null);
    fixed.ip = STATIC_IP;
    fixed.arrive = at.applyAsLong(7 * 3600 + 30 * 60);
    fixed.depart = at.applyAsLong(15 * 3600 + 30 * 60);
    devices.add(fixed);
    return new SchoolNet(fixed, released, reuser);
  }

  /** The school's SLAAC prefix (RFC 3849 documentation space) and the resolver's address in it. */
  static final byte[] PREFIX6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0x00, 0x10, 0, 0};

  static final byte[] RESOLVER6 = {
    0x20, 0x01, 0x0d, (byte) 0xb8, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53
  };

  /**
   * Makes {@code d} a dual-stack SLAAC client: an EUI-64 address (RFC 4291 appendix A: the MAC with
   * ff:fe in the middle and the U/L bit flipped) or a temporary one (RFC 8981: a random interface
   * id, here drawn from the MAC so the day's other random choices stay as they were).
   */
  private static void dualStack(Device d, boolean eui64) {
    byte[] a = java.util.Arrays.copyOf(PREFIX6, 16);
    byte[] m = d.mac;
    if (eui64) {
      byte[] iid = {(byte) (m[0] ^ 0x02), m[1], m[2], (byte) 0xff, (byte) 0xfe, m[3], m[4], m[5]};
      System.arraycopy(iid, 0, a, 8, 8);
    } else {
      SplittableRandom r = new SplittableRandom(java.util.Arrays.hashCode(m));
      for (int i = 8; i < 16; i++) {
        a[i] = (byte) r.nextInt(256);
      }
      a[8] &= (byte) 0xfd; // RFC 8981 section 3.3.1: the U/L bit of a random interface id is 0
    }
    d.ipv6 = a;
  }

  /**
   * School scale addresses: 10.10.16.0/20 shuffled; an arrival takes the address freed longest ago
   * (released, or past its lease) when there is one, else a fresh one. The released scenario
   * device's address is kept for the reuser.
   */
  private void allocateSchool(SplittableRandom rnd) {
    List<Integer> pool = new ArrayList<>();
    for (int host = 1; host < 4095; host++) {
      if ((host & 0xFF) != 0 && (host & 0xFF) != 0xFF) {
        pool.add(Wire.ip("10.10.16.0") + host);
      }
    }
    School.shuffle(pool, rnd);
    java.util.PriorityQueue<long[]> recycled =
        new java.util.PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    List<Device> byArrival = new ArrayList<>(devices);
    byArrival.sort((a, b) -> Long.compare(a.arrive, b.arrive));
    int next = 0;
    for (Device d : byArrival) {
      if (d.kind == Kind.STATIC || d == reuser) {
        continue;
      }
      if (!recycled.isEmpty() && recycled.peek()[0] < d.arrive) {
        d.ip = (int) recycled.poll()[1];
      } else {
        d.ip = pool.get(next++);
      }
      if (d != released) {
        // Free once released, or once the lease has surely expired (the last renewal precedes
        // depart).
        long free = d.releases ? d.depart + 1_000_000 : d.depart + (LEASE_SECS + 60) * 1_000_000;
        recycled.add(new long[] {free, Integer.toUnsignedLong(d.ip)});
      }
    }
    reuser.ip = released.ip;
  }

  /** When the device's first lease began (its first ACK). */
  long firstLease(Device d) {
    return leasesByDevice.get(d).get(0).from();
  }

  /**
   * The lease holding {@code ip} at {@code t}, or null (the simulator's own model, not a decode).
   */
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
    if (t >= d.depart) {
      return false;
    }
    for (Lease l : leasesByDevice.getOrDefault(d, List.of())) {
      if (l.from() <= t && t < l.to()) {
        return true;
      }
    }
    return false;
  }

  /** Generates every DHCP exchange into {@code frames} and records the resulting leases. */
  void dhcp(SplittableRandom rnd, List<Wire.Frame> frames, long[] seq) {
    if (term) {
      // Each device draws from its own stream, so one device more or less leaves the others'
      // traffic alone.
      List<Device> byArrival = new ArrayList<>(devices);
      byArrival.sort((a, b) -> Long.compare(a.arrive, b.arrive));
      java.util.Map<Device, SplittableRandom> streams = new java.util.HashMap<>();
      for (Device d : devices) {
        streams.put(d, rnd.split());
      }
      for (Device d : byArrival) {
        exchange(d, streams.get(d), frames, seq, null);
      }
      return;
    }
    if (!school.scale.isSample()) {
      schoolDhcp(rnd, frames, seq);
      return;
    }
    List<Device> byArrival = new ArrayList<>(devices);
    byArrival.sort((a, b) -> Long.compare(a.arrive, b.arrive));
    for (Device d : byArrival) {
      if (d.kind == Kind.STATIC) {
        continue;
      }
      exchange(d, rnd, frames, seq, null);
    }
  }

  /** Flush period of server 2's log shipper: its lines reach the collector up to this late. */
  static final long SHIP_MICROS = 20_000_000L;

  /**
   * School scale. Each device draws from its own stream (split in device order), so the scenario
   * pair, generated last, cannot move anyone else's traffic. The pair is placed after a shipper
   * flush {@code F} (a multiple of 20 s between 10:35 and 11:00) just before which server 1 logged
   * a line: the release at F-19 s and the reuser's arrival at F-16 s reach the collector at F, so a
   * block at F-5 s is replayed before them and its retry at F+3 s after them.
   */
  private void schoolDhcp(SplittableRandom rnd, List<Wire.Frame> frames, long[] seq) {
    java.util.Map<Device, SplittableRandom> streams = new java.util.HashMap<>();
    for (Device d : devices) {
      streams.put(d, rnd.split());
    }
    released.arrive = Math.min(released.arrive, at.applyAsLong(7 * 3600 + 45 * 60));
    allocateSchool(rnd);
    List<Device> byArrival = new ArrayList<>(devices);
    byArrival.sort((a, b) -> Long.compare(a.arrive, b.arrive));
    for (Device d : byArrival) {
      if (d.kind != Kind.STATIC && d != released && d != reuser) {
        exchange(d, streams.get(d), frames, seq, dhcpLog);
      }
    }
    long flush = at.applyAsLong(10 * 3600 + 40 * 60);
    for (long f = at.applyAsLong(10 * 3600 + 35 * 60);
        f < at.applyAsLong(11 * 3600);
        f += SHIP_MICROS) {
      long from = f - 4_500_000;
      long to = f - 500_000;
      if (dhcpLog.stream().anyMatch(l -> l.delivered() >= from && l.delivered() <= to)) {
        flush = f;
        break;
      }
    }
    lateFlush = flush;
    released.depart = flush - 19_000_000;
    reuser.arrive = flush - 16_000_000;
    exchange(released, streams.get(released), frames, seq, dhcpLog);
    exchange(reuser, streams.get(reuser), frames, seq, dhcpLog);
  }

  private static final java.time.format.DateTimeFormatter SYSLOG_TIME =
      java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", java.util.Locale.ENGLISH);

  /** An ISC dhcpd line as rsyslog writes it (RFC 3164 header in local time, whole seconds). */
  private void log(List<LogLine> out, Device d, long t, String text, long[] seq) {
    if (out == null) {
      return;
    }
    java.time.Instant i = java.time.Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000L));
    String line =
        SYSLOG_TIME.format(i.atZone(school.zone))
            + " dhcp"
            + d.server
            + " dhcpd["
            + (d.server == 1 ? 812 : 1377)
            + "]: "
            + text;
    long delivered =
        d.server == 1 ? t : Math.floorDiv(t + SHIP_MICROS - 1, SHIP_MICROS) * SHIP_MICROS;
    out.add(new LogLine(t, delivered, seq[0]++, line));
  }

  private static String via(Device d) {
    return d.server == 1 ? "via eth1" : "via 10.10.128.1";
  }

  /**
   * One device's DORA, renewals and optional release. Frames go to the capture unless the device is
   * served by server 2; with {@code log} non-null, server log lines too.
   */
  private void exchange(
      Device d, SplittableRandom rnd, List<Wire.Frame> captured, long[] seq, List<LogLine> log) {
    List<Wire.Frame> frames = d.server == 1 ? captured : new ArrayList<>();
    String who = d.macString() + " (" + d.hostname + ") " + via(d);
    String ip = Wire.ipString(d.ip);
    {
      long xid = rnd.nextLong(1L << 32);
      long t = d.arrive;
      frames.add(
          new Wire.Frame(
              t,
              seq[0]++,
              clientBroadcast(
                  d,
                  rnd,
                  Wire.dhcp(
                      1,
                      xid,
                      0,
                      true,
                      0,
                      0,
                      0,
                      chaddr(d),
                      List.of(
                          Wire.Opt.u8(53, 1),
                          clientId(d),
                          Wire.Opt.text(12, d.hostname),
                          paramList())))));
      log(log, d, t, "DHCPDISCOVER from " + who, seq);
      t += 2_000 + rnd.nextLong(400_000);
      frames.add(
          new Wire.Frame(
              t,
              seq[0]++,
              serverBroadcast(
                  rnd,
                  Wire.dhcp(2, xid, 0, true, 0, d.ip, DHCP_SERVER, chaddr(d), serverOpts(2)))));
      log(log, d, t, "DHCPOFFER on " + ip + " to " + who, seq);
      t += 5_000 + rnd.nextLong(60_000);
      frames.add(
          new Wire.Frame(
              t,
              seq[0]++,
              clientBroadcast(
                  d,
                  rnd,
                  Wire.dhcp(
                      1,
                      xid,
                      0,
                      true,
                      0,
                      0,
                      0,
                      chaddr(d),
                      List.of(
                          Wire.Opt.u8(53, 3),
                          clientId(d),
                          Wire.Opt.ips(50, d.ip),
                          Wire.Opt.ips(54, DHCP_SERVER),
                          Wire.Opt.text(12, d.hostname),
                          paramList())))));
      log(log, d, t, "DHCPREQUEST for " + ip + " (10.10.0.2) from " + who, seq);
      t += 1_000 + rnd.nextLong(20_000);
      frames.add(
          new Wire.Frame(
              t,
              seq[0]++,
              serverBroadcast(
                  rnd,
                  Wire.dhcp(2, xid, 0, true, 0, d.ip, DHCP_SERVER, chaddr(d), serverOpts(5)))));
      log(log, d, t, "DHCPACK on " + ip + " to " + who, seq);
      dhcpMessages += d.server == 1 ? 4 : 0;
      long from = t;
      long expires = t + leaseSecs * 1_000_000;
      // Renewing (RFC 2131 4.4.5): unicast REQUEST with ciaddr, no 50/54, shortly before T1.
      long renew = t + leaseSecs / 2 * 1_000_000 - rnd.nextLong(30_000_000);
      while (renew < d.depart) {
        xid = rnd.nextLong(1L << 32);
        frames.add(
            new Wire.Frame(
                renew,
                seq[0]++,
                Wire.udpFrame(
                    d.mac,
                    SERVER_MAC,
                    d.ip,
                    DHCP_SERVER,
                    68,
                    67,
                    rnd.nextInt(65536),
                    64,
                    Wire.dhcp(
                        1,
                        xid,
                        0,
                        false,
                        d.ip,
                        0,
                        0,
                        chaddr(d),
                        List.of(
                            Wire.Opt.u8(53, 3),
                            clientId(d),
                            Wire.Opt.text(12, d.hostname),
                            paramList())))));
        log(log, d, renew, "DHCPREQUEST for " + ip + " from " + who, seq);
        long ack = renew + 1_000 + rnd.nextLong(20_000);
        frames.add(
            new Wire.Frame(
                ack,
                seq[0]++,
                Wire.udpFrame(
                    SERVER_MAC,
                    d.mac,
                    DHCP_SERVER,
                    d.ip,
                    67,
                    68,
                    rnd.nextInt(65536),
                    64,
                    Wire.dhcp(
                        2, xid, 0, false, d.ip, d.ip, DHCP_SERVER, chaddr(d), serverOpts(5)))));
        log(log, d, ack, "DHCPACK on " + ip + " to " + who, seq);
        dhcpMessages += d.server == 1 ? 2 : 0;
        expires = ack + leaseSecs * 1_000_000;
        renew = ack + leaseSecs / 2 * 1_000_000 - rnd.nextLong(30_000_000);
      }
      if (d.releases) {
        frames.add(
            new Wire.Frame(
                d.depart,
                seq[0]++,
                Wire.udpFrame(
                    d.mac,
                    SERVER_MAC,
                    d.ip,
                    DHCP_SERVER,
                    68,
                    67,
                    rnd.nextInt(65536),
                    64,
                    Wire.dhcp(
                        1,
                        rnd.nextLong(1L << 32),
                        0,
                        false,
                        d.ip,
                        0,
                        0,
                        chaddr(d),
                        List.of(Wire.Opt.u8(53, 7), Wire.Opt.ips(54, DHCP_SERVER), clientId(d))))));
        log(log, d, d.depart, "DHCPRELEASE of " + ip + " from " + who + " (found)", seq);
        dhcpMessages += d.server == 1 ? 1 : 0;
        expires = d.depart;
      }
      Lease lease = new Lease(d.ip, d, from, expires);
      leases.add(lease);
      leasesByDevice.computeIfAbsent(d, k -> new ArrayList<>()).add(lease);
    }
  }

  private static byte[] clientBroadcast(Device d, SplittableRandom rnd, byte[] payload) {
    return Wire.udpFrame(
        d.mac, Wire.BROADCAST_MAC, 0, Wire.BROADCAST_IP, 68, 67, rnd.nextInt(65536), 64, payload);
  }

  private static byte[] serverBroadcast(SplittableRandom rnd, byte[] payload) {
    return Wire.udpFrame(
        SERVER_MAC,
        Wire.BROADCAST_MAC,
        DHCP_SERVER,
        Wire.BROADCAST_IP,
        67,
        68,
        rnd.nextInt(65536),
        64,
        payload);
  }

  private List<Wire.Opt> serverOpts(int msgType) {
    return List.of(
        Wire.Opt.u8(53, msgType),
        Wire.Opt.ips(54, DHCP_SERVER),
        Wire.Opt.u32(51, leaseSecs),
        Wire.Opt.u32(58, leaseSecs / 2),
        Wire.Opt.u32(59, leaseSecs * 7 / 8),
        Wire.Opt.ips(1, Wire.ip("255.255.0.0")),
        Wire.Opt.ips(3, ROUTER),
        Wire.Opt.ips(6, RESOLVER),
        Wire.Opt.text(15, "bellwatch-usd.org"));
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
  static byte[] mac(SplittableRandom rnd, List<byte[]> taken, int[] oui) {
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

  static String hex(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("0123456789abcdef".charAt(rnd.nextInt(16)));
    }
    return sb.toString();
  }
}
