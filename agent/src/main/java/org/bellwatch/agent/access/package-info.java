/**
 * Who may use the console and what they did: accounts, sessions, the audit log, the agent's kept
 * secrets and the admin token, as records and narrow interfaces. The web layer depends on these
 * interfaces; the store implements them over its column families, and route tests over maps.
 */
package org.bellwatch.agent.access;
