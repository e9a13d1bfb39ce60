package org.bellwatch.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.bellwatch.agent.capture.CaptureFileException;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.parse.vendors.Vendor;
import org.bellwatch.agent.pipeline.FileReplay;
import org.bellwatch.agent.pipeline.Pipeline;
import org.bellwatch.agent.pipeline.Pipelines;
import org.bellwatch.agent.pipeline.StoreReplay;
import org.bellwatch.agent.schedule.ScheduleException;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Run the pipeline over capture and log files and write block events as JSON lines, or into the"
            + " store (--store).")
final class ReplayCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--pcap",
      paramLabel = "FILE",
      description = "Capture file (pcap or pcapng); repeatable.")
  List<Path> pcaps = new ArrayList<>();

  @Option(
      names = "--log",
      paramLabel = "VENDOR=FILE",
      description = "Filter log file of a vendor; repeatable.")
  List<String> logs = new ArrayList<>();

  @Option(
      names = "--schedule",
      paramLabel = "DIR",
      description = "Schedule folder (overrides schedule.dir).")
  Path schedule;

  @Option(names = "--out", paramLabel = "FILE", description = "Output JSON lines ('-': stdout).")
  String out;

  @Option(
      names = "--store",
      description =
          "Also store the events and their DHCP lease history in the store of"
              + " --config (store.dir), as run would; the agent must not be running on it.")
  boolean store;

  @Override
  public Integer call() {
    if (out == null && !store) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, "replay: give --out FILE, --store, or both");
    }
    BellwatchConfig cfg;
    SiteModel site;
    List<BellwatchConfig.LogFile> logFiles = new ArrayList<>();
    try {
      ConfigOption.Loaded loaded = config.loadWithSite(schedule);
      cfg = loaded.cfg();
      site = loaded.site();
      for (String spec : logs) {
        int eq = spec.indexOf('=');
        Vendor v = eq < 0 ? null : Vendor.byId(spec.substring(0, eq));
        if (v == null) {
          return Errors.fail(
              BellwatchCli.EXIT_CONFIG,
              "--log " + spec + ": expected VENDOR=FILE with VENDOR one of " + Vendor.ids());
        }
        // --log generic=FILE reads with the mapping of the config's first generic logs.files[]
        // entry.
        var generic =
            v == Vendor.GENERIC
                ? cfg.logs().files().stream()
                    .filter(f -> f.generic() != null)
                    .map(BellwatchConfig.LogFile::generic)
                    .findFirst()
                    .orElse(null)
                : null;
        if (v == Vendor.GENERIC && generic == null) {
          return Errors.fail(
              BellwatchCli.EXIT_CONFIG,
              "--log "
                  + spec
                  + ": generic needs a logs.files[] entry with"
                  + " vendor: generic and its generic: mapping in the --config file");
        }
        logFiles.add(
            new BellwatchConfig.LogFile(
                v.id(), Path.of(spec.substring(eq + 1)), cfg.site().timezone(), generic));
      }
    } catch (ConfigException | ScheduleException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
    List<Path> pcapFiles = pcaps.isEmpty() && logs.isEmpty() ? cfg.capture().pcapFiles() : pcaps;
    if (pcaps.isEmpty() && logs.isEmpty()) {
      logFiles.addAll(cfg.logs().files());
    }
    if (pcapFiles.isEmpty() && logFiles.isEmpty()) {
      return Errors.fail(
          BellwatchCli.EXIT_CONFIG,
          "replay: no input: give --pcap FILE or --log VENDOR=FILE, or a"
              + " --config whose capture.pcap_files or logs.files name some");
    }
    for (Path p : pcapFiles) {
      if (!Files.isReadable(p)) {
        return Errors.fail(
            BellwatchCli.EXIT_CONFIG, p + ": capture file not found or not readable");
      }
    }
    for (BellwatchConfig.LogFile f : logFiles) {
      if (!Files.isReadable(f.path())) {
        return Errors.fail(
            BellwatchCli.EXIT_CONFIG, f.path() + ": log file not found or not readable");
      }
    }
    ObjectMapper mapper = new ObjectMapper();
    try (Writer w = out == null ? Writer.nullWriter() : open(out)) {
      Consumer<BlockEvent> write =
          e -> {
            try {
              w.write(mapper.writeValueAsString(BlockEventJson.toJson(mapper, e)));
              w.write('\n');
            } catch (IOException ex) {
              throw new UncheckedIOException(ex);
            }
          };
      BellwatchMeters meters = new BellwatchMeters(new SimpleMeterRegistry());
      if (store) {
        StoreReplay.replay(cfg, site, pcapFiles, logFiles, meters, out == null ? e -> {} : write);
        return 0;
      }
      SiteModel model = site;
      // An event is written once it has settled (left the correlator's memory): until then late
      // evidence
      // from a log out of time order may still join it and change it.
      Pipeline pipeline = Pipelines.create(cfg, () -> model, meters, AttemptSink.settledTo(write));
      FileReplay.replay(pcapFiles, logFiles, pipeline, meters);
      pipeline.finish();
      return 0;
    } catch (CaptureFileException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    } catch (StoreException e) {
      return Errors.fail(BellwatchCli.EXIT_STORE, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, e.getMessage());
    }
  }

  static Writer open(String out) throws IOException {
    if (out.equals("-")) {
      return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    return Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8);
  }
}
