package org.bellwatch.agent.event;

/** What the filter did with a request. Only {@link #BLOCKED} is evidence of a block. */
public enum Action {
  ALLOWED("allowed"),
  BLOCKED("blocked"),
  WARNED("warned"),
  /**
   * A proxy asking for credentials (HTTP 407): the user was not refused content, so not a block.
   */
  AUTH_CHALLENGE("auth-challenge"),
  /**
   * A proxy answered with a redirect ({@code TCP_REDIRECT/302}): a block only when it goes to a
   * block page or the site's redirector only blocks ({@code filter.*}); the pipeline decides.
   */
  REDIRECTED("redirected"),
  /**
   * A proxy could not fetch the request (a 5xx it made itself): a block only when the DNS filter
   * refused the proxy's own lookup of the name; the correlator joins them.
   */
  FAILED("failed");

  private final String id;

  Action(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
