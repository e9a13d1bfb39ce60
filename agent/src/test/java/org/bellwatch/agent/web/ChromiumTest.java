package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser driver the console tests stand on. CI once lost the browser under a console test
 * class, and every test after it failed with the JDK's bare "Output closed": a lost browser must
 * say how (its exit, its last stderr) and be replaced for the next page.
 */
class ChromiumTest {
  @TempDir Path dir;
  Chromium chromium;

  @BeforeEach
  void start() throws Exception {
    Chromium.assumeAvailable();
    chromium = Chromium.launch(dir);
  }

  @AfterEach
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void aBrowserThatDiesFailsTheWaitingCallSayingHowAndTheNextPageHasANewBrowser() throws Exception {
    Chromium.Page page = chromium.open(800, 600);
    long first = chromium.pid();
    ProcessHandle browser = ProcessHandle.of(first).orElseThrow();
    browser.destroyForcibly();
    browser.onExit().get(30, TimeUnit.SECONDS);

    assertThatThrownBy(() -> page.eval("1 + 1"))
        .isInstanceOf(Chromium.BrowserLost.class)
        .hasMessageStartingWith("Runtime.evaluate: Chromium lost: ")
        .hasMessageContaining("exited with status");
    Chromium.Page next = chromium.open(800, 600);
    assertThat(chromium.pid()).isNotEqualTo(first);
    assertThat(next.eval("5 + 5").asInt()).isEqualTo(10);
  }
}
