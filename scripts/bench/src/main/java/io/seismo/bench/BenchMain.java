package io.seismo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every benchmark, prints one table (measure, Seismo, baseline, ratio, target, pass/fail) with
 * every round of every row, what both sides do, the machine and the commit, and writes it all as JSON
 * to target/bench/results-&lt;time&gt;.json (or {@code --out=FILE}).
 *
 * <p>{@code --quick} for a short run, {@code --only=analysis,ingest,...} for some groups,
 * {@code --readme FILE} prints the README table (markdown) of a results file instead of running.
 */
public final class BenchMain {

  /** Settings every group gets. */
  record Context(boolean quick, Measure.Settings settings) {}

  /** A group of rows, run in order; its rows come from one supplier. */
  interface Bench {
    List<Row> run(Context context) throws Exception;
  }

  record Group(String name, Bench bench) {}

  /** Every group, in run order. Adding a bench is one line here. */
  static final List<Group> GROUPS = List.of(
      new Group("analysis", context -> new AnalysisBench(context.settings()).run()),
      new Group("serde", context -> new SerdeBench(context.settings()).run()),
      new Group("ingest", context -> new IngestBench(context.quick()).run()),
      new Group("produce", context -> new ProduceBench(context.quick()).run()),
      new Group("topology", context -> new KafkaBench(context.quick()).run()),
      new Group("api", context -> new ApiBench(context.quick()).run()),
      new Group("scale", context -> new ScaleBench(context.quick()).run()), // 1k → 10k → 100k APIs; own heap: --only=scale
      new Group("sse", context -> new SseBench(context.quick()).run())); // last: its streams leave garbage behind

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = List.of(args);
    int readme = arguments.indexOf("--readme");
    if (readme >= 0) {
      if (readme + 1 >= args.length) {
        throw new IllegalArgumentException("--readme needs a results file: --readme scripts/bench/target/bench/results-….json");
      }
      System.out.print(Report.readme(new ObjectMapper().readTree(Path.of(args[readme + 1]).toFile())));
      return;
    }
    boolean quick = arguments.contains("--quick");
    List<String> only = arguments.stream().filter(arg -> arg.startsWith("--only=")).map(arg -> arg.substring(7))
        .flatMap(value -> Arrays.stream(value.split(","))).toList();
    for (String name : only) {
      if (GROUPS.stream().noneMatch(group -> group.name().equals(name))) {
        throw new IllegalArgumentException("--only: unknown group '" + name + "'; groups: "
            + GROUPS.stream().map(Group::name).toList());
      }
    }
    Path out = arguments.stream().filter(arg -> arg.startsWith("--out=")).map(arg -> Path.of(arg.substring(6)))
        .findFirst().orElse(Path.of("target", "bench", "results-" + Instant.now().toString().replaceAll("[:.]", "-") + ".json"));

    Map<String, Object> machine = machine();
    Progress.note("bench", "machine " + machine + ", commit " + commit() + (quick ? ", --quick" : ""));
    Context context = new Context(quick, quick ? new Measure.Settings(0.5, 3, 0.5) : new Measure.Settings(2, 5, 1.5));
    long started = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    for (Group group : GROUPS) {
      if (only.isEmpty() ? group.name().equals("scale") : !only.contains(group.name())) {
        continue; // scale needs its own 3 GB heap and ~15 minutes: only with --only=scale
      }
      Progress.group(group.name());
      try {
        rows.addAll(group.bench().run(context));
        machine.put("loadAverageEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        write(out, report(args, quick, started, machine, rows, true)); // a run cut short keeps the groups done
      } catch (Exception | Error e) { // one broken group must not hide the others' numbers
        Progress.note(group.name(), "failed: " + e);
        e.printStackTrace();
        rows.add(Row.higher(group.name() + ": the group failed", "-", Double.NaN, Double.NaN, 1, "")
            .failure(e.toString()));
      }
    }
    machine.put("loadAverageEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Map<String, Object> report = report(args, quick, started, machine, rows, false);
    System.out.print(Report.text(new ObjectMapper().valueToTree(report)));
    write(out, report);
    System.out.println("written " + out.toAbsolutePath());
    System.out.println("README table: scripts/bench/run --readme " + out.toAbsolutePath());
    if (rows.stream().anyMatch(row -> !row.pass())) {
      System.exit(3);
    }
  }

  private static Map<String, Object> report(String[] args, boolean quick, long started, Map<String, Object> machine,
                                            List<Row> rows, boolean partial) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("at", Instant.now().toString());
    report.put("commit", commit());
    report.put("command", ("scripts/bench/run " + String.join(" ", args).replaceAll("--out=\\S*", "")).strip());
    report.put("quick", quick);
    report.put("partial", partial);
    report.put("seconds", Math.round((System.nanoTime() - started) / 1e9));
    report.put("machine", machine);
    report.put("results", rows.stream().map(Report::toMap).toList());
    return report;
  }

  private static void write(Path out, Map<String, Object> report) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
  }

  private static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("cpu", cpuModel());
    machine.put("memoryGb", Math.round(((OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 1e9));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + " ("
        + System.getProperty("java.vendor") + ")");
    machine.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    machine.put("loadAverageStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return machine;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("?");
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The commit the run script passed (-Dbench.commit, "-dirty" with uncommitted changes). */
  static String commit() {
    return System.getProperty("bench.commit", "unknown");
  }

  static String format(double value, String unit) {
    if (Double.isNaN(value)) {
      return "-";
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f %s", value, unit);
    }
    return String.format(Locale.ROOT, "%.2f %s", value, unit);
  }
}
