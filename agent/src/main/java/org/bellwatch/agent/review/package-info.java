/**
 * The school's review of a blocked site (requests and IT's decisions) as a record and a narrow
 * interface: the web layer and the exporter depend on {@link org.bellwatch.agent.review.Reviews};
 * the store implements it, route tests use an in-memory one.
 */
package org.bellwatch.agent.review;
