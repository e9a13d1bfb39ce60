package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's WebSocket client (no driver,
 * no new dependency). Each {@link Page} is a tab in its own browser context, so two pages hold two
 * separate logins. JavaScript dialogs (alert, confirm) are recorded and dismissed: a test can
 * assert none opened.
 */
final class Chromium implements AutoCloseable {
  private static final ObjectMapper M = new ObjectMapper();
  private final Process process;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private Chromium(Process process, WebSocket ws) {
    this.process = process;
    this.ws = ws;
  }

  static Path executable() {
    return Path.of(System.getProperty("bellwatch.chromium", "/usr/bin/chromium"));
  }

  /**
   * Skips the calling test when Chromium is missing, unless {@code
   * -Dbellwatch.browser.required=true} (scripts/test) makes a missing browser a failure.
   */
  static void assumeAvailable() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Boolean.getBoolean("bellwatch.browser.required")
            || java.nio.file.Files.isExecutable(executable()),
        "Chromium not installed (scripts/test installs it and makes this test required)");
  }

  static Chromium launch(Path profile) throws Exception {
    Process p =
        new ProcessBuilder(
                executable().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    String url = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (String line;
        url == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
      int i = line.indexOf("ws://");
      if (line.startsWith("DevTools listening on") && i >= 0) {
        url = line.substring(i).trim();
      }
    }
    if (url == null) {
      p.destroyForcibly();
      throw new IllegalStateException("Chromium did not print its DevTools address");
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                err.transferTo(java.io.Writer.nullWriter());
              } catch (java.io.IOException e) {
                // The browser exited.
              }
            },
            "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    Chromium[] self = new Chromium[1];
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(url),
                new WebSocket.Listener() {
                  private final StringBuilder buf = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    buf.append(data);
                    if (last) {
                      String msg = buf.toString();
                      buf.setLength(0);
                      self[0].receive(msg);
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    self[0] = new Chromium(p, ws);
    return self[0];
  }

  private void receive(String text) {
    try {
      JsonNode msg = M.readTree(text);
      if (msg.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
        if (f != null) {
          f.complete(msg);
        }
      } else {
        events.add(msg);
        if (msg.path("method").asText().equals("Page.javascriptDialogOpening")) {
          ObjectNode params = M.createObjectNode().put("accept", false);
          send(msg.path("sessionId").asText(null), "Page.handleJavaScriptDialog", params);
        }
      }
    } catch (Exception e) {
      // A message we cannot read is not one we wait for.
    }
  }

  private synchronized CompletableFuture<JsonNode> send(
      String session, String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    ObjectNode msg = M.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params == null ? M.createObjectNode() : params);
    if (session != null) {
      msg.put("sessionId", session);
    }
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ws.sendText(msg.toString(), true).join();
    return f;
  }

  JsonNode call(String session, String method, ObjectNode params) throws Exception {
    return call(session, method, params, 60);
  }

  JsonNode call(String session, String method, ObjectNode params, int timeoutSecs)
      throws Exception {
    JsonNode r = send(session, method, params).get(timeoutSecs, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + ": " + r.get("error"));
    }
    return r.get("result");
  }

  /** A new tab in a new browser context (its own cookies), at the given viewport width. */
  Page open(int width, int height) throws Exception {
    String context =
        call(null, "Target.createBrowserContext", null).get("browserContextId").asText();
    String target =
        call(
                null,
                "Target.createTarget",
                M.createObjectNode().put("url", "about:blank").put("browserContextId", context))
            .get("targetId")
            .asText();
    String session =
        call(
                null,
                "Target.attachToTarget",
                M.createObjectNode().put("targetId", target).put("flatten", true))
            .get("sessionId")
            .asText();
    Page page = new Page(session);
    call(session, "Page.enable", null);
    call(session, "Runtime.enable", null);
    call(session, "Log.enable", null);
    // A CSP or Trusted Types refusal fires securitypolicyviolation in the page (CSP 3, section
    // 5.3); the
    // debugger's script is not under the page's policy, so it can listen from before the first
    // script.
    call(
        session,
        "Page.addScriptToEvaluateOnNewDocument",
        M.createObjectNode().put("source", CSP_LISTENER));
    page.viewport(width, height);
    return page;
  }

  /** Events of one session (dialogs, exceptions) so far. */
  List<JsonNode> events(String session, String method) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (session.equals(e.path("sessionId").asText())
          && e.path("method").asText().equals(method)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Records each CSP violation of the page, as its console would show it, for {@link
   * Page#problems()}.
   */
  private static final String CSP_LISTENER =
      "window.cspViolations = [];"
          + " document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push("
          + "`CSP ${e.effectiveDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}: ${e.sample}`));";

  /**
   * What a console shows as an error: an uncaught exception, console.error, an error logged by the
   * browser.
   */
  private static String problem(JsonNode event) {
    JsonNode p = event.path("params");
    return switch (event.path("method").asText()) {
      case "Runtime.exceptionThrown" ->
          "exception: "
              + p.path("exceptionDetails")
                  .path("exception")
                  .path("description")
                  .asText(p.path("exceptionDetails").path("text").asText());
      case "Runtime.consoleAPICalled" ->
          p.path("type").asText().matches("error|assert")
              ? "console."
                  + p.path("type").asText()
                  + ": "
                  + p.path("args").findValuesAsText("value")
                  + p.path("args").findValuesAsText("description")
              : null;
      case "Log.entryAdded" ->
          p.path("entry").path("level").asText().equals("error")
              ? p.path("entry").path("source").asText()
                  + ": "
                  + p.path("entry").path("text").asText()
                  + " "
                  + p.path("entry").path("url").asText()
              : null;
      default -> null;
    };
  }

  final class Page {
    final String session;
    private int seen;

    Page(String session) {
      this.session = session;
    }

    void viewport(int width, int height) throws Exception {
      call(
          session,
          "Emulation.setDeviceMetricsOverride",
          M.createObjectNode()
              .put("width", width)
              .put("height", height)
              .put("deviceScaleFactor", 1)
              .put("mobile", false));
    }

    void go(String url) throws Exception {
      call(session, "Page.navigate", M.createObjectNode().put("url", url));
      waitFor("document.readyState === 'complete'");
    }

    /** Evaluates an expression (awaiting a promise) and returns its JSON value. */
    JsonNode eval(String js) throws Exception {
      return eval(js, 60);
    }

    /**
     * {@link #eval(String)} with a longer wait, for work that takes long on a large page on a busy
     * machine.
     */
    JsonNode eval(String js, int timeoutSecs) throws Exception {
      JsonNode r =
          call(
              session,
              "Runtime.evaluate",
              M.createObjectNode()
                  .put("expression", js)
                  .put("returnByValue", true)
                  .put("awaitPromise", true),
              timeoutSecs);
      if (r.has("exceptionDetails")) {
        throw new IllegalStateException(js + " threw " + r.get("exceptionDetails"));
      }
      return r.path("result").path("value");
    }

    String text(String js) throws Exception {
      return eval(js).asText();
    }

    /**
     * Waits until the expression is true (polling the page; the condition, not the wait, is the
     * assertion).
     */
    void waitFor(String condition) throws Exception {
      try {
        // An IllegalStateException: the page is navigating; try again.
        Awaitility.await(condition)
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(25))
            .ignoreExceptionsInstanceOf(IllegalStateException.class)
            .until(() -> eval("!!(" + condition + ")").asBoolean());
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "timed out waiting for: "
                + condition
                + "\nstatus: "
                + eval("document.getElementById('status')?.textContent + ' | ' + document.title"),
            e);
      }
    }

    /** Types into a field as a user would: focus, then insert the text. */
    void type(String selector, String value) throws Exception {
      eval(
          "(() => { const e = document.querySelector("
              + M.writeValueAsString(selector)
              + "); e.focus(); e.value = ''; })()");
      call(session, "Input.insertText", M.createObjectNode().put("text", value));
    }

    void click(String selector) throws Exception {
      eval("document.querySelector(" + M.writeValueAsString(selector) + ").click()");
    }

    /** The whole page, as long as it is. */
    void screenshot(Path file) throws Exception {
      screenshot(file, true);
    }

    /** The whole page, or only what the viewport shows (the top of a long page). */
    void screenshot(Path file, boolean whole) throws Exception {
      Files.createDirectories(file.getParent());
      JsonNode r =
          call(
              session,
              "Page.captureScreenshot",
              M.createObjectNode().put("format", "png").put("captureBeyondViewport", whole));
      Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
    }

    /**
     * The console errors (exceptions, console.error, errors the browser logged, such as a failed
     * load or a CSP refusal) and the CSP violations recorded since the last call, one line each.
     */
    List<String> problems() throws Exception {
      List<String> out = new ArrayList<>();
      List<JsonNode> mine = new ArrayList<>();
      for (JsonNode e : events) {
        if (session.equals(e.path("sessionId").asText())) {
          mine.add(e);
        }
      }
      for (JsonNode e : mine.subList(seen, mine.size())) {
        String p = problem(e);
        if (p != null) {
          out.add(p);
        }
      }
      seen = mine.size();
      eval("(window.cspViolations || []).splice(0)").forEach(n -> out.add(n.asText()));
      return out;
    }

    List<JsonNode> dialogs() {
      return events(session, "Page.javascriptDialogOpening");
    }

    /**
     * Presses one key as a keyboard would (keyDown with its text, keyUp): Tab, Enter, Space,
     * Shift+Tab.
     */
    void press(String key) throws Exception {
      boolean shift = key.startsWith("Shift+");
      String k = shift ? key.substring(6) : key;
      record Key(String key, String code, int vk, String text) {}
      Key def =
          switch (k) {
            case "Tab" -> new Key("Tab", "Tab", 9, null);
            case "Enter" -> new Key("Enter", "Enter", 13, "\r");
            case "Space" -> new Key(" ", "Space", 32, " ");
            default -> throw new IllegalArgumentException("no key " + key);
          };
      for (String type : new String[] {"keyDown", "keyUp"}) {
        ObjectNode p =
            M.createObjectNode()
                .put("type", type)
                .put("key", def.key())
                .put("code", def.code())
                .put("windowsVirtualKeyCode", def.vk())
                .put("nativeVirtualKeyCode", def.vk())
                .put("modifiers", shift ? 8 : 0);
        if (type.equals("keyDown") && def.text() != null) {
          p.put("text", def.text());
        }
        call(session, "Input.dispatchKeyEvent", p);
      }
    }

    /** Types text into whatever has the keyboard focus. */
    void insertText(String text) throws Exception {
      call(session, "Input.insertText", M.createObjectNode().put("text", text));
    }

    /** Prints the page as Chromium's print-to-PDF does (print CSS applies) and writes the file. */
    void printToPdf(Path file) throws Exception {
      Files.createDirectories(file.getParent());
      JsonNode r =
          call(
              session,
              "Page.printToPDF",
              M.createObjectNode().put("printBackground", true).put("preferCSSPageSize", true));
      Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
    }

    /**
     * Runs axe-core (injected over the protocol: the page's CSP governs the page's scripts, not the
     * debugger's) and returns the serious and critical violations, one line each with the elements.
     */
    List<String> axeViolations(String axeSource) throws Exception {
      if (!eval("typeof axe !== 'undefined'").asBoolean()) {
        eval(axeSource + "\n;true");
      }
      // A page of a few thousand elements takes axe-core seconds; on a loaded shared machine, over
      // a minute.
      JsonNode found =
          eval(
              "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations"
                  + ".filter((v) => v.impact === 'serious' || v.impact === 'critical')"
                  + ".map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))",
              300);
      List<String> out = new ArrayList<>();
      found.forEach(n -> out.add(n.asText()));
      return out;
    }
  }

  @Override
  public void close() {
    try {
      call(null, "Browser.close", null);
    } catch (Exception e) {
      // Closing anyway.
    }
    ws.abort();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
