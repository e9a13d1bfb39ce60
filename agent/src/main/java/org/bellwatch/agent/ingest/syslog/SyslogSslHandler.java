package org.bellwatch.agent.ingest.syslog;

import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;

/**
 * Netty's TLS handler, telling whether it holds part of a TLS record: over TLS a sender that
 * trickles bytes leaves them here, where {@link SyslogFrameDecoder} never sees them, so {@link
 * FrameDeadline} asks both. Netty's own handshake timeout (10 s) still bounds the handshake.
 */
final class SyslogSslHandler extends SslHandler {
  SyslogSslHandler(SSLEngine engine) {
    super(engine);
  }

  /** True while bytes of an unfinished TLS record are buffered. */
  boolean midRecord() {
    return actualReadableBytes() > 0;
  }
}
