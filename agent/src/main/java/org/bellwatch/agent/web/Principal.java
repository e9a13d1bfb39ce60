package org.bellwatch.agent.web;

import org.bellwatch.agent.store.Session;

/** The logged-in account behind a request, with its session. */
record Principal(String username, Role role, Session session) {
}
