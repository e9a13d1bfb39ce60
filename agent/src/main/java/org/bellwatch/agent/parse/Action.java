package org.bellwatch.agent.parse;

/** What the filter did with a request. Only {@link #BLOCKED} is evidence of a block. */
public enum Action {
  ALLOWED("allowed"),
  BLOCKED("blocked"),
  WARNED("warned"),
  /** A proxy asking for credentials (HTTP 407): the user was not refused content, so not a block. */
  AUTH_CHALLENGE("auth-challenge");

  private final String id;

  Action(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
