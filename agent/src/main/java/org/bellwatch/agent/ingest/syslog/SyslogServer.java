package org.bellwatch.agent.ingest.syslog;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.net.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syslog listeners of {@code syslog.listeners}, on one Netty event-loop group (epoll when the
 * native transport loads, NIO otherwise). UDP listeners may bind several sockets to one port with
 * SO_REUSEPORT (epoll only): the kernel spreads senders over them, and each socket is read by its
 * own event loop. Every channel gets its own {@link SyslogReceiver}, so vendor parsers are never
 * shared between threads.
 */
public final class SyslogServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyslogServer.class);

  /** The receive buffer one recvmmsg call fills, split into one slot per datagram. */
  static final int READ_BUFFER_BYTES = 1 << 20;

  static final int MAX_DATAGRAMS_PER_CALL = 64;

  private final EventLoopGroup group;
  private final List<Channel> channels = new ArrayList<>();

  /** Each listener's first bound channel. */
  private final Map<String, Channel> listening = new LinkedHashMap<>();

  private final UdpKernelDrops kernelDrops = new UdpKernelDrops();

  /**
   * The inodes of each UDP listener's sockets, held here for the metric that reads their kernel
   * drops.
   */
  private final Map<String, Set<Long>> socketsByListener = new LinkedHashMap<>();

  private SyslogServer(EventLoopGroup group) {
    this.group = group;
  }

  /** Binds every listener; on any failure, closes what was bound and throws naming the listener. */
  public static SyslogServer start(
      List<SyslogListener> listeners, SyslogSink sink, BellwatchMeters meters, Clock clock) {
    return start(listeners, l -> sink, meters, clock);
  }

  /**
   * As {@link #start(List, SyslogSink, BellwatchMeters, Clock)}, with a sink of each listener's
   * own.
   */
  public static SyslogServer start(
      List<SyslogListener> listeners,
      java.util.function.Function<SyslogListener, SyslogSink> sinks,
      BellwatchMeters meters,
      Clock clock) {
    boolean epoll = Epoll.isAvailable();
    int cores = Runtime.getRuntime().availableProcessors();
    IoHandlerFactory io =
        epoll
            ? EpollIoHandler.newFactory(0, NappingSelectStrategy.FACTORY)
            : NioIoHandler.newFactory(SelectorProvider.provider(), NappingSelectStrategy.FACTORY);
    SyslogServer server = new SyslogServer(new MultiThreadIoEventLoopGroup(Math.max(2, cores), io));
    try {
      for (SyslogListener l : listeners) {
        int first = server.channels.size();
        InetSocketAddress a =
            l.protocol().equals("udp")
                ? server.udp(l, sinks.apply(l), meters, clock, epoll, cores)
                : server.tcp(l, sinks.apply(l), meters, clock, epoll);
        server.listening.put(l.name(), server.channels.get(first));
        log.info(
            "syslog listener {} on {} {}:{} ({}, {})",
            l.name(),
            l.protocol(),
            a.getAddress().getHostAddress(),
            a.getPort(),
            l.vendor(),
            epoll ? "epoll" : "nio");
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The bound address of a listener (its port, when the configuration asked for 0); null for a name
   * not configured.
   */
  public InetSocketAddress address(String listener) {
    Channel c = listening.get(listener);
    return c == null ? null : (InetSocketAddress) c.localAddress();
  }

  /**
   * The channel a listener bound (the first of a UDP listener's sockets); for a TCP or TLS
   * listener, its event loop is the one that accepts.
   */
  Channel channel(String listener) {
    return listening.get(listener);
  }

  static boolean allowed(SyslogListener cfg, InetAddress sender) {
    for (Cidr c : cfg.allow()) {
      if (c.contains(sender)) {
        return true;
      }
    }
    return false;
  }

  private InetSocketAddress udp(
      SyslogListener l,
      SyslogSink sink,
      BellwatchMeters meters,
      Clock clock,
      boolean epoll,
      int cores) {
    int sockets = !epoll ? 1 : l.sockets() == 0 ? cores : l.sockets();
    // One limiter for all the listener's sockets: SO_REUSEPORT may spread one sender's ports over
    // several.
    SenderRateLimiter rate = limiter(l, "dropped", meters, clock);
    int slot = udpSlotBytes(l);
    // With epoll, one recvmmsg(2) call fills several slots of one buffer: one system call per batch
    // of
    // datagrams instead of one recvmsg(2) each (rsyslog's imudp reads the same way).
    int perCall =
        epoll ? Math.max(1, Math.min(MAX_DATAGRAMS_PER_CALL, READ_BUFFER_BYTES / slot)) : 1;
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(slot * perCall)
                    .maxMessagesPerRead(UdpSyslogHandler.MAX_BATCH))
            .handler(
                new ChannelInitializer<DatagramChannel>() {
                  @Override
                  protected void initChannel(DatagramChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new UdpSyslogHandler(
                                l, new SyslogReceiver(l, meters, clock), sink, meters, rate));
                  }
                });
    if (epoll && perCall > 1) {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
    }
    if (l.receiveBufferBytes() > 0) {
      b.option(ChannelOption.SO_RCVBUF, l.receiveBufferBytes());
    }
    if (sockets > 1) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    InetSocketAddress bound = bind(l, b.bind(l.bind(), l.port()));
    Set<Long> inodes = new HashSet<>();
    claimSocket(inodes, bound.getPort());
    int granted = channels.get(channels.size() - 1).config().getOption(ChannelOption.SO_RCVBUF);
    String shortfall = bufferShortfall(l, granted, epoll);
    if (shortfall != null) {
      log.warn(shortfall);
    }
    for (int i = 1; i < sockets; i++) {
      bind(l, b.bind(l.bind(), bound.getPort()));
      claimSocket(inodes, bound.getPort());
    }
    socketsByListener.put(l.name(), inodes);
    meters.syslogKernelDrops(l.name(), inodes, kernelDrops::drops);
    return bound;
  }

  /** Finds the socket just bound, whose kernel drops the listener's counter follows. */
  private void claimSocket(Set<Long> inodes, int port) {
    long inode = kernelDrops.claim(port);
    if (inode >= 0) {
      inodes.add(inode);
    }
  }

  /**
   * What to tell the administrator when a UDP socket got less receive buffer than the listener
   * asked for, or null. Linux grants at most {@code net.core.rmem_max} and reports twice what it
   * grants (socket(7), SO_RCVBUF: the kernel doubles the value for its bookkeeping); other systems
   * report what they grant.
   */
  static String bufferShortfall(SyslogListener l, int granted, boolean linux) {
    long asked = l.receiveBufferBytes();
    if (asked <= 0 || granted >= (linux ? 2 * asked : asked)) {
      return null;
    }
    return "syslog listener "
        + l.name()
        + ": receive_buffer_bytes is "
        + asked
        + " but the kernel granted "
        + (linux ? granted / 2 : granted)
        + " per socket; raise net.core.rmem_max to at least "
        + asked
        + " (the package's /usr/lib/sysctl.d/60-bellwatch.conf does), or bursts and pauses lose datagrams sooner";
  }

  /**
   * Bytes read per datagram: one more than the longest accepted message, so that a longer datagram
   * arrives truncated to this and shows as oversize; at most 64 KiB, above any UDP payload.
   */
  static int udpSlotBytes(SyslogListener l) {
    return Math.min(l.maxFrameBytes() + 1, 65536);
  }

  private InetSocketAddress tcp(
      SyslogListener l, SyslogSink sink, BellwatchMeters meters, Clock clock, boolean epoll) {
    SslContext ssl = l.protocol().equals("tls") ? ssl(l) : null;
    ConnectionGate gate = new ConnectionGate(l);
    SenderRateLimiter rate = limiter(l, "delayed", meters, clock);
    // The gate's count, not channels seen active: an evicted connection's slot is free (and a
    // newcomer in
    // it) before its close has run on the event loop, so counting channels overshoots the limit.
    meters.syslogConnections(l.name(), l.protocol(), gate::open);
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(type)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .handler(new ConnectionAdmission(l, gate, meters))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ConnectionGate.Slot slot = ch.attr(ConnectionAdmission.SLOT).get();
                    if (l.idleTimeoutSecs() > 0) {
                      ch.pipeline()
                          .addLast(
                              new IdleStateHandler(l.idleTimeoutSecs(), 0, 0, TimeUnit.SECONDS));
                      ch.pipeline()
                          .addLast(
                              new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(
                                    ChannelHandlerContext ctx, Object evt) throws Exception {
                                  // While the pipeline is full we stopped reading ourselves: the
                                  // sender is not idle.
                                  if (evt instanceof IdleStateEvent
                                      && ctx.channel().config().isAutoRead()) {
                                    meters.syslogConnectionClosed(l.name(), l.protocol(), "idle");
                                    ctx.close();
                                    return;
                                  }
                                  super.userEventTriggered(ctx, evt);
                                }
                              });
                    }
                    SyslogSslHandler tls =
                        ssl == null ? null : new SyslogSslHandler(ssl.newEngine(ch.alloc()));
                    if (tls != null) {
                      ch.pipeline().addLast(tls);
                    }
                    SyslogFrameDecoder frames =
                        new SyslogFrameDecoder(
                            l.maxFrameBytes(), () -> meters.syslogOversize(l.name(), l.protocol()));
                    ch.pipeline().addLast(frames);
                    ch.pipeline()
                        .addLast(
                            new FrameDeadline(
                                TimeUnit.SECONDS.toNanos(l.frameTimeoutSecs()),
                                () -> frames.midFrame() || tls != null && tls.midRecord(),
                                () ->
                                    meters.syslogConnectionClosed(
                                        l.name(), l.protocol(), "slow_frame"),
                                () -> gate.framed(slot)));
                    ch.pipeline()
                        .addLast(
                            new TcpSyslogHandler(
                                l,
                                new SyslogReceiver(l, meters, clock),
                                sink,
                                meters,
                                rate,
                                slot.sender()));
                  }
                });
    if (l.receiveBufferBytes() > 0) {
      b.childOption(ChannelOption.SO_RCVBUF, l.receiveBufferBytes());
    }
    return bind(l, b.bind(l.bind(), l.port()));
  }

  private static SenderRateLimiter limiter(
      SyslogListener l, String consequence, BellwatchMeters meters, Clock clock) {
    SenderRateLimiter rate = new SenderRateLimiter(l, consequence, clock);
    meters.syslogSenders(l.name(), l.protocol(), rate::senders);
    return rate;
  }

  /**
   * RFC 5425 section 4.2: the server authenticates with its certificate; clients are not asked for
   * one.
   */
  private static SslContext ssl(SyslogListener l) {
    try {
      return SslContextBuilder.forServer(l.tlsCertFile().toFile(), l.tlsKeyFile().toFile()).build();
    } catch (Exception e) {
      throw new SyslogException(
          "syslog listener "
              + l.name()
              + ": tls_cert_file "
              + l.tlsCertFile()
              + " and tls_key_file "
              + l.tlsKeyFile()
              + " are not a usable PEM certificate and key: "
              + e.getMessage(),
          e);
    }
  }

  private InetSocketAddress bind(SyslogListener l, io.netty.channel.ChannelFuture f) {
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new SyslogException(
          "syslog listener "
              + l.name()
              + ": cannot listen on "
              + l.protocol()
              + " "
              + l.bind().getHostAddress()
              + ":"
              + l.port()
              + ": "
              + f.cause().getMessage(),
          f.cause());
    }
    channels.add(f.channel());
    return (InetSocketAddress) f.channel().localAddress();
  }

  @Override
  public void close() {
    for (Channel c : channels) {
      c.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
