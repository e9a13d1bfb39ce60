package org.bellwatch.bench;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVParser;
import org.bellwatch.agent.csv.Rfc4180;
import org.bellwatch.agent.parse.Csv;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One CSV log line split into its fields, as a parser gets it (one line at a time, from the syslog
 * listener or a tailed file): the hand-written splitter of {@code parse} against Apache Commons CSV
 * with the agent's dialect, a parser made per line. Lines: a PAN-OS THREAT record (syslog, the
 * busiest CSV source), an Umbrella DNS log line (every field quoted) and a Lightspeed report row
 * (one quoted field).
 *
 * <p>Run: {@code mvn -q -B -Pbenchmarks -DskipTests package && java -jar
 * agent/target/benchmarks.jar CsvLineBenchmark -prof gc}; on a loaded machine {@link CsvLineCpu}
 * gives the thread's CPU time per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class CsvLineBenchmark {
  @Param({"panos", "umbrella_dns", "lightspeed"})
  public String line;

  private String text;

  @Setup
  public void setUp() {
    text = sample(line);
    if (!handWritten().equals(commonsCsv())) {
      throw new IllegalStateException("the two readers disagree on " + line);
    }
  }

  static String sample(String kind) {
    return switch (kind) {
      case "panos" ->
          "1,2026/09/15 08:20:00,001801000001,THREAT,url,2561,2026/09/15 08:20:00,10.30.2.14,"
              + "198.51.100.20,203.0.113.5,198.51.100.20,students-out,school\\s2014,,ssl,vsys1,trust,untrust,"
              + "ethernet1/2,ethernet1/1,fwd,2026/09/15 08:20:00,4101,1,51000,443,41000,443,0x400000,tcp,block-url,"
              + "\"videos.example.org/watch\",(9999),streaming-media,informational,client-to-server,1001,0x0,"
              + "10.0.0.0-10.255.255.255,United States,0,,0,,,0,,,,,,,,0,0,0,0,0,,PA-HS,,,,,0,,0,,N/A,N/A,"
              + "AppThreat-0-0,0x0,0,4294967295,";
      case "umbrella_dns" ->
          "\"2026-09-15 14:00:00\",\"Student Four (s4001@school.example.org)\","
              + "\"Student Four (s4001@school.example.org),HS-Network\",\"10.80.7.31\",\"203.0.113.80\",\"Blocked\","
              + "\"1 (A)\",\"NOERROR\",\"games.example.com.\",\"Games,Application\",\"AD Users\","
              + "\"AD Users,Networks\",\"Games\"";
      case "lightspeed" ->
          "2026-09-15 08:12:01,s5001@school.example.org,10.80.7.41,"
              + "https://games.example.com/play?level=3,games.example.com,\"Games, Online\",Blocked,"
              + "Students - Grades 6-8";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @Benchmark
  public List<String> handWritten() {
    return Csv.split(text);
  }

  @Benchmark
  public List<String> commonsCsv() {
    return commons(text);
  }

  static List<String> commons(String text) {
    try (CSVParser p = Rfc4180.READ.parse(new StringReader(text))) {
      return p.iterator().next().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
