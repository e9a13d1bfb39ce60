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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's WebSocket client (no driver,
 * no new dependency). Each {@link Page} is a tab in its own browser context, so two pages hold two
 * separate logins. JavaScript dialogs (alert, confirm) are recorded and dismissed: a test can
 * assert none opened.
 *
 * <p>Messages are written to the DevTools socket by one thread of our own, so the listener thread
 * that dismisses a dialog never waits on a write. If the browser is lost (it exited, or closed the
 * connection), the waiting call fails with {@link BrowserLost} saying how, with the browser's last
 * lines of stderr, and the next {@link #open} starts a new browser: one lost browser fails one
 * attempt of one test ({@link BrowserTest} runs it again), not every test after it.
 */
final class Chromium implements AutoCloseable {
  private static final ObjectMapper M = new ObjectMapper();
  private static final int STDERR_LINES = 40;
  private final Path profiles;
  private Browser browser;

  private Chromium(Path profiles, Browser browser) {
    this.profiles = profiles;
    this.browser = browser;
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

  /**
   * Headless Chromium with a profile of its own and nothing running in the background (no updates,
   * sync or prefetch that would reach beyond loopback); callers add what it should do.
   */
  static List<String> command(Path profile) {
    return new ArrayList<>(
        List.of(
            executable().toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile));
  }

  /** Starts a browser; its profile (and any later browser's) is made under {@code profiles}. */
  static Chromium launch(Path profiles) throws Exception {
    return new Chromium(profiles, Browser.start(profiles));
  }

  /** The browser was lost while a test used it: how, and what it last printed. */
  static final class BrowserLost extends RuntimeException {
    BrowserLost(String message) {
      super(message);
    }
  }

  /** One browser process and its DevTools connection. */
  private static final class Browser {
    private final Process process;
    private final HttpClient http;
    private final Deque<String> stderr = new ArrayDeque<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final ExecutorService writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "chromium-devtools-writer");
              t.setDaemon(true);
              return t;
            });
    private volatile WebSocket ws;
    private volatile String lost;

    private Browser(Process process, HttpClient http) {
      this.process = process;
      this.http = http;
    }

    static Browser start(Path profiles) throws Exception {
      Path profile = Files.createTempDirectory(profiles, "profile");
      List<String> command = command(profile);
      command.addAll(List.of("--disable-extensions", "--remote-debugging-port=0"));
      command.addAll(List.of("--remote-allow-origins=*", "about:blank"));
      Process p =
          new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Browser b = new Browser(p, HttpClient.newHttpClient());
      BufferedReader err =
          new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
      String url = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (String line;
          url == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
        b.keep(line);
        int i = line.indexOf("ws://");
        if (line.startsWith("DevTools listening on") && i >= 0) {
          url = line.substring(i).trim();
        }
      }
      if (url == null) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "Chromium did not print its DevTools address; its stderr:\n" + b.stderrTail());
      }
      Thread drain =
          new Thread(
              () -> {
                try {
                  for (String line; (line = err.readLine()) != null; ) {
                    b.keep(line);
                  }
                } catch (java.io.IOException e) {
                  // The browser exited.
                }
              },
              "chromium-stderr");
      drain.setDaemon(true);
      drain.start();
      b.ws =
          b.http
              .newWebSocketBuilder()
              .buildAsync(URI.create(url), b.listener())
              .get(30, TimeUnit.SECONDS);
      p.onExit().thenRun(() -> b.lose("the browser exited with status " + p.exitValue()));
      return b;
    }

    private void keep(String line) {
      synchronized (stderr) {
        stderr.addLast(line);
        if (stderr.size() > STDERR_LINES) {
          stderr.removeFirst();
        }
      }
    }

    private String stderrTail() {
      synchronized (stderr) {
        return String.join("\n", stderr);
      }
    }

    private WebSocket.Listener listener() {
      return new WebSocket.Listener() {
        private final StringBuilder buf = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
          buf.append(data);
          if (last) {
            String msg = buf.toString();
            buf.setLength(0);
            receive(msg);
          }
          w.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
          lose("the browser closed the DevTools connection (" + status + " " + reason + ")");
          return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
          lose("the DevTools connection failed: " + error);
        }
      };
    }

    /** Fails every waiting call, and every later one, with how the browser was lost. */
    private void lose(String how) {
      synchronized (this) {
        if (lost == null) {
          lost = how;
        }
      }
      pending.values().forEach(f -> f.completeExceptionally(lostError()));
    }

    private BrowserLost lostError() {
      return new BrowserLost(
          "Chromium lost: "
              + lost
              + "; process "
              + (process.isAlive() ? "still running" : "exited with status " + process.exitValue())
              + "; its last stderr lines:\n"
              + stderrTail());
    }

    boolean isLost() {
      return lost != null;
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

    /** Queues the message for the writer thread; the future completes with the browser's answer. */
    private CompletableFuture<JsonNode> send(String session, String method, ObjectNode params) {
      int id = ids.incrementAndGet();
      ObjectNode msg = M.createObjectNode().put("id", id).put("method", method);
      msg.set("params", params == null ? M.createObjectNode() : params);
      if (session != null) {
        msg.put("sessionId", session);
      }
      CompletableFuture<JsonNode> f = new CompletableFuture<>();
      pending.put(id, f);
      if (lost != null) {
        f.completeExceptionally(lostError());
        return f;
      }
      String text = msg.toString();
      writer.execute(
          () -> {
            try {
              ws.sendText(text, true).join();
            } catch (RuntimeException e) {
              lose("sending " + method + " failed: " + e);
            }
          });
      return f;
    }

    JsonNode call(String session, String method, ObjectNode params, int timeoutSecs)
        throws Exception {
      JsonNode r;
      try {
        r = send(session, method, params).get(timeoutSecs, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof BrowserLost lostNow) {
          throw new BrowserLost(method + ": " + lostNow.getMessage());
        }
        throw e;
      }
      if (r.has("error")) {
        throw new IllegalStateException(method + ": " + r.get("error"));
      }
      return r.get("result");
    }

    void close() {
      try {
        if (!isLost()) {
          call(null, "Browser.close", null, 10);
        }
      } catch (Exception e) {
        // Closing anyway.
      }
      ws.abort();
      writer.shutdownNow();
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

  /**
   * A new tab in a new browser context (its own cookies), at the given viewport width. When the
   * browser was lost (a {@link BrowserLost} failed an earlier test), a new one is started first.
   */
  synchronized Page open(int width, int height) throws Exception {
    if (browser.isLost()) {
      System.err.println(
          "Chromium: " + browser.lostError().getMessage() + "\nstarting a new browser");
      browser.close();
      browser = Browser.start(profiles);
    }
    Browser b = browser;
    String context =
        b.call(null, "Target.createBrowserContext", null, 60).get("browserContextId").asText();
    String target =
        b.call(
                null,
                "Target.createTarget",
                M.createObjectNode().put("url", "about:blank").put("browserContextId", context),
                60)
            .get("targetId")
            .asText();
    String session =
        b.call(
                null,
                "Target.attachToTarget",
                M.createObjectNode().put("targetId", target).put("flatten", true),
                60)
            .get("sessionId")
            .asText();
    Page page = new Page(b, session);
    page.call("Page.enable", null);
    page.call("Runtime.enable", null);
    page.call("Log.enable", null);
    // A CSP or Trusted Types refusal fires securitypolicyviolation in the page (CSP 3, section
    // 5.3); the debugger's script is not under the page's policy, so it can listen from before the
    // first script.
    page.call(
        "Page.addScriptToEvaluateOnNewDocument", M.createObjectNode().put("source", CSP_LISTENER));
    page.viewport(width, height);
    return page;
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
    private final Browser browser;
    final String session;
    private int seen;

    Page(Browser browser, String session) {
      this.browser = browser;
      this.session = session;
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
      return call(method, params, 60);
    }

    JsonNode call(String method, ObjectNode params, int timeoutSecs) throws Exception {
      return browser.call(session, method, params, timeoutSecs);
    }

    /** The events of this tab (dialogs, exceptions, console messages) so far, oldest first. */
    private List<JsonNode> events() {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode e : browser.events) {
        if (session.equals(e.path("sessionId").asText())) {
          out.add(e);
        }
      }
      return out;
    }

    void viewport(int width, int height) throws Exception {
      call(
          "Emulation.setDeviceMetricsOverride",
          M.createObjectNode()
              .put("width", width)
              .put("height", height)
              .put("deviceScaleFactor", 1)
              .put("mobile", false));
    }

    void go(String url) throws Exception {
      call("Page.navigate", M.createObjectNode().put("url", url));
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
        // An IllegalStateException: the page is navigating; try again. Polled on the test's own
        // thread: an evaluation is never abandoned half-way at the deadline (each has its own).
        Awaitility.await(condition)
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(25))
            .pollInSameThread()
            .ignoreExceptionsInstanceOf(IllegalStateException.class)
            .until(() -> eval("!!(" + condition + ")").asBoolean());
      } catch (ConditionTimeoutException e) {
        String status;
        try {
          status = text("document.getElementById('status')?.textContent + ' | ' + document.title");
        } catch (Exception unreadable) {
          status = "unreadable: " + unreadable.getMessage();
        }
        throw new AssertionError("timed out waiting for: " + condition + "\nstatus: " + status, e);
      }
    }

    /** Types into a field as a user would: focus, then insert the text. */
    void type(String selector, String value) throws Exception {
      eval(
          "(() => { const e = document.querySelector("
              + M.writeValueAsString(selector)
              + "); e.focus(); e.value = ''; })()");
      call("Input.insertText", M.createObjectNode().put("text", value));
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
      List<JsonNode> mine = events();
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
      return events().stream()
          .filter(e -> e.path("method").asText().equals("Page.javascriptDialogOpening"))
          .toList();
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
        call("Input.dispatchKeyEvent", p);
      }
    }

    /** Types text into whatever has the keyboard focus. */
    void insertText(String text) throws Exception {
      call("Input.insertText", M.createObjectNode().put("text", text));
    }

    /** Prints the page as Chromium's print-to-PDF does (print CSS applies) and writes the file. */
    void printToPdf(Path file) throws Exception {
      Files.createDirectories(file.getParent());
      JsonNode r =
          call(
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

  /** The process id of the browser now in use (a test may kill it). */
  synchronized long pid() {
    return browser.process.pid();
  }

  @Override
  public synchronized void close() {
    browser.close();
  }
}
