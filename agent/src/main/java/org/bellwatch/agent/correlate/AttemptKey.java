package org.bellwatch.agent.correlate;

import java.net.InetAddress;

/**
 * Who tried which name: an address and the device holding it then (a reused address is another
 * client); for evidence without an address (a filter that logs only the user), the user. Evidence
 * of one key within the merge window is one attempt.
 */
record AttemptKey(InetAddress client, String device, String user, String domain) {
  static AttemptKey of(BlockEvidence e, String device) {
    return new AttemptKey(e.clientIp(), device, e.clientIp() == null ? e.user() : null, e.domain());
  }

  /** The key without its device: what the memory of attributed attempts is searched by. */
  AttemptKey subject() {
    return device == null ? this : new AttemptKey(client, null, user, domain);
  }

  /** Orders attempts of one instant: the address, or the user after every address. */
  String text(AddressTexts texts) {
    return client != null ? texts.of(client) : "~" + user;
  }
}
