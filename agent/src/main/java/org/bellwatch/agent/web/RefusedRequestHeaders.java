package org.bellwatch.agent.web;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's error handler with the console's headers: the 400s Jetty sends itself for a request it
 * cannot parse (an ambiguous or malformed path) never reach a Javalin handler, so the security
 * headers, no-store and, over HTTPS, HSTS are added here.
 */
final class RefusedRequestHeaders extends ErrorHandler {
  private final boolean hsts;

  RefusedRequestHeaders(boolean hsts) {
    this.hsts = hsts;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    WebServer.SECURITY_HEADERS.forEach(fields::put);
    fields.put("Cache-Control", "no-store");
    if (hsts) {
      fields.put("Strict-Transport-Security", WebServer.HSTS);
    }
    return super.badMessageError(status, reason, fields);
  }
}
