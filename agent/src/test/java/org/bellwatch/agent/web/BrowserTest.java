package org.bellwatch.agent.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junitpioneer.jupiter.RetryingTest;

/**
 * A test of the console in Chromium. It runs again, once, only when the browser itself was lost
 * under it ({@link Chromium.BrowserLost}: the process exited or dropped its DevTools connection,
 * which no page of ours can cause); the retry opens its pages in a new browser. A failed assertion,
 * a timeout or any other error fails the test at once, as {@code @Test} would.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@RetryingTest(maxAttempts = 2, onExceptions = Chromium.BrowserLost.class)
@interface BrowserTest {}
