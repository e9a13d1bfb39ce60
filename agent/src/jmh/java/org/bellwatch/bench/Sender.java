package org.bellwatch.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

/** Where {@link SyslogLoad} writes: one datagram socket, or one TCP connection per port. */
interface Sender extends AutoCloseable {
  /**
   * Sends one message (a datagram, or a whole frame on a blocking connection) to FortiGate's or
   * Squid's port.
   */
  void send(ByteBuffer message, boolean fortigate) throws IOException;

  @Override
  void close() throws IOException;

  static Sender udp(InetSocketAddress forti, InetSocketAddress squid) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    return new Sender() {
      @Override
      public void send(ByteBuffer message, boolean fortigate) throws IOException {
        ch.send(message, fortigate ? forti : squid);
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  static Sender tcp(InetSocketAddress forti, InetSocketAddress squid) throws IOException {
    SocketChannel f = SocketChannel.open(forti);
    SocketChannel s = SocketChannel.open(squid);
    return new Sender() {
      @Override
      public void send(ByteBuffer message, boolean fortigate) throws IOException {
        SocketChannel ch = fortigate ? f : s;
        while (message.hasRemaining()) {
          ch.write(
              message); // blocking: when the agent stops reading, the sender waits, as rsyslog's
          // queue would
        }
      }

      @Override
      public void close() throws IOException {
        f.close();
        s.close();
      }
    };
  }
}
