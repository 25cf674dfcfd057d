// Prints the benchmark summary (Markdown) of one results directory: a row per run and the targets of issue 5.
//   java -cp client-sim/target/switchboard-client-sim.jar bench/Summary.java bench/results/<dir>

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

public class Summary {
  static final Map<String, JsonObject> RUNS = new TreeMap<>();
  /** The runs of `bench/run.sh fanout-protocols`: fanout-PROTOCOL, or fanout-PROTOCOL-ROUND. */
  static final Pattern PROTOCOL_RUN = Pattern.compile("fanout-(json|protobuf|mixed)(-\\d+)?");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        RUNS.put(p.getFileName().toString().replace(".json", ""), new JsonObject(Files.readString(p)));
      }
    }
    StringBuilder sb = new StringBuilder();
    Path machine = dir.resolve("machine.txt");
    if (Files.exists(machine)) {
      sb.append("```\n").append(Files.readString(machine).strip()).append("\n```\n\n");
    }
    sb.append("| run | conns ok / failed | handshakes/s | handshake p99 ms | acked pubs/s | deliveries/s"
        + " | latency p50 / p99 / max ms | lost / dup / ooo | server CPU s | µs CPU / delivery | RSS KiB / conn |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    RUNS.forEach((name, r) -> {
      JsonObject c = r.getJsonObject("connections");
      JsonObject l = r.getJsonObject("latency_ms");
      JsonObject s = r.getJsonObject("server", new JsonObject());
      String protocol = protocol(r);
      String label = protocol.equals("json") || protocol.equals("none") || name.contains(protocol) ? name
          : name + " (" + protocol + ")";
      sb.append(String.format("| %s | %d / %d | %d | %s | %d | %d | %s / %s / %s | %d / %d / %d | %s | %s | %s |%n",
          label, c.getLong("ok"), c.getLong("failed"), c.getLong("handshakes_per_second"),
          r.getJsonObject("handshake_ms").getValue("p99"),
          r.getJsonObject("publications").getLong("acked_per_second"),
          r.getJsonObject("deliveries").getLong("per_second"), l.getValue("p50"), l.getValue("p99"), l.getValue("max"),
          r.getLong("lost"), r.getLong("duplicated"), r.getLong("out_of_order"),
          s.getValue("cpu_seconds_run", "-"), s.getValue("cpu_us_per_delivery", "-"),
          s.getValue("rss_growth_per_connection_kib", "-")));
    });
    JsonObject reconnect = RUNS.get("reconnect-kill");
    if (reconnect != null) {
      JsonObject rec = reconnect.getJsonObject("recovery");
      sb.append(String.format("%nreconnect-kill: %d connections closed by the kill, %d recovered, %d not recovered, "
              + "all within %s ms (p50 %s, p99 %s)%n", rec.getLong("closed"), rec.getLong("recovered"),
          rec.getLong("not_recovered"), rec.getValue("all_recovered_within_ms"),
          rec.getJsonObject("ms").getValue("p50"), rec.getJsonObject("ms").getValue("p99")));
    }
    for (String prefix : new String[] {"", "quick-"}) {
      Double sb1 = cpuPerDelivery(prefix + "fanout-1node");
      Double base = cpuPerDelivery(prefix + "fanout-baseline");
      if (sb1 != null && base != null && base > 0) {
        sb.append(String.format("%n%sSwitchboard / plain Vert.x, server CPU per delivery in fan-out: %.2f / %.2f µs = "
            + "%.2fx (below 1: Switchboard spends less)%n", prefix.isEmpty() ? "" : "quick run: ", sb1, base, sb1 / base));
      }
    }
    protocols(sb);
    List<String[]> targets = targets();
    if (!targets.isEmpty()) {
      sb.append("\n| target | measured | met |\n|---|---|---|\n");
    }
    for (String[] t : targets) {
      sb.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
    }
    System.out.print(sb);
  }

  static String protocol(JsonObject run) {
    return run.getJsonObject("params", new JsonObject()).getString("protocol", "json");
  }

  /** The fan-out runs by protocol, each against the mean of the all-JSON runs of the same directory. */
  static void protocols(StringBuilder sb) {
    Map<String, List<String>> byProtocol = new TreeMap<>();
    RUNS.keySet().stream().filter(n -> PROTOCOL_RUN.matcher(n).matches())
        .forEach(n -> byProtocol.computeIfAbsent(protocol(RUNS.get(n)), p -> new ArrayList<>()).add(n));
    if (byProtocol.isEmpty()) {
      return;
    }
    Double json = meanCpu(byProtocol.get("json"));
    sb.append("\nFan-out by client protocol (`bench/run.sh fanout-protocols`), server CPU per delivery against the "
        + "all-JSON runs:\n\n| run | protocol | subscribers (Protobuf) | deliveries/s | latency p50 / p99 ms "
        + "| lost / dup / ooo | µs CPU / delivery | vs all-JSON |\n|---|---|---|---:|---|---|---:|---:|\n");
    for (String p : List.of("json", "protobuf", "mixed")) {
      for (String n : byProtocol.getOrDefault(p, List.of())) {
        JsonObject r = RUNS.get(n);
        JsonObject c = r.getJsonObject("connections");
        JsonObject l = r.getJsonObject("latency_ms");
        Double us = cpuPerDelivery(n);
        sb.append(String.format("| %s | %s | %d (%d) | %d | %s / %s | %d / %d / %d | %s | %s |%n", n, p,
            c.getLong("ok"), c.getLong("ok_protobuf", 0L), r.getJsonObject("deliveries").getLong("per_second"),
            l.getValue("p50"), l.getValue("p99"), r.getLong("lost"), r.getLong("duplicated"),
            r.getLong("out_of_order"), us == null ? "-" : us, percent(us, json)));
      }
    }
  }

  static Double meanCpu(List<String> runs) {
    if (runs == null) {
      return null;
    }
    List<Double> v = runs.stream().map(Summary::cpuPerDelivery).filter(d -> d != null).toList();
    return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  static String percent(Double value, Double base) {
    return value == null || base == null || base <= 0 ? "-" : String.format("%+.1f%%", 100 * (value / base - 1));
  }

  static Double cpuPerDelivery(String run) {
    JsonObject r = RUNS.get(run);
    if (r == null || r.getJsonObject("server") == null) {
      return null;
    }
    Object v = r.getJsonObject("server").getValue("cpu_us_per_delivery");
    return v instanceof Number n ? n.doubleValue() : null;
  }

  static Double deliveriesPerCpuSecond(String run) {
    JsonObject r = RUNS.get(run);
    if (r == null || r.getJsonObject("server") == null) {
      return null;
    }
    double cpu = r.getJsonObject("server").getDouble("cpu_seconds_run", 0.0);
    return cpu <= 0 ? null : r.getJsonObject("deliveries").getLong("total") / cpu;
  }

  static List<String> protocolRuns(String protocol) {
    return RUNS.keySet().stream().filter(n -> PROTOCOL_RUN.matcher(n).matches())
        .filter(n -> protocol(RUNS.get(n)).equals(protocol)).toList();
  }

  static String round2(Double d) {
    return d == null ? "-" : String.format("%.2f", d);
  }

  static String yes(boolean b) {
    return b ? "met" : "**not met**";
  }

  static List<String[]> targets() {
    List<String[]> out = new ArrayList<>();
    JsonObject idle = RUNS.get("idle-3nodes");
    if (idle != null) {
      JsonObject c = idle.getJsonObject("connections");
      Object kib = idle.getJsonObject("server", new JsonObject()).getValue("rss_growth_per_connection_kib");
      boolean mem = kib instanceof Number n && n.doubleValue() <= 10;
      out.add(new String[] {"idle: ≥ 45,000 WebSockets on 3 nodes, 0 failed",
          c.getLong("ok") + " ok, " + c.getLong("failed") + " failed",
          yes(c.getLong("ok") >= 45_000 && c.getLong("failed") == 0)});
      out.add(new String[] {"idle: server RSS ≤ 10 KiB per connection", kib + " KiB", yes(mem)});
    }
    JsonObject storm = RUNS.get("connect-storm-3nodes");
    if (storm != null) {
      long rate = storm.getJsonObject("connections").getLong("handshakes_per_second");
      double p99 = storm.getJsonObject("handshake_ms").getDouble("p99");
      Object perConn = storm.getJsonObject("server", new JsonObject()).getValue("cpu_us_per_connection_ramp");
      out.add(new String[] {"connect-storm: ≥ 10,000 connects/s, handshake p99 ≤ 100 ms",
          rate + "/s, p99 " + p99 + " ms (server CPU " + perConn + " µs per connection)",
          yes(rate >= 10_000 && p99 <= 100)});
    }
    JsonObject f1 = RUNS.get("fanout-1node");
    if (f1 != null) {
      Double us = cpuPerDelivery("fanout-1node");
      double p99 = f1.getJsonObject("latency_ms").getDouble("p99");
      out.add(new String[] {"fanout 1 node: ≤ 6 µs server CPU per delivery", us + " µs", yes(us != null && us <= 6)});
      out.add(new String[] {"fanout 1 node: p99 ≤ 100 ms, 0 lost", "p99 " + p99 + " ms, lost " + f1.getLong("lost"),
          yes(p99 <= 100 && f1.getLong("lost") == 0)});
    }
    JsonObject f3 = RUNS.get("fanout-3nodes");
    if (f3 != null) {
      Double one = deliveriesPerCpuSecond("fanout-1node");
      Double three = deliveriesPerCpuSecond("fanout-3nodes");
      String ratio = one == null || three == null ? "-" : String.format("%.0f%%", 100 * three / one);
      boolean ok = one != null && three != null && three >= 0.8 * one && f3.getLong("lost") == 0
          && f3.getLong("out_of_order") == 0;
      out.add(new String[] {"fanout 3 nodes: ≥ 80% of 1-node deliveries per CPU-second, 0 lost, 0 out of order",
          ratio + " (" + (three == null ? "-" : Math.round(three)) + " vs " + (one == null ? "-" : Math.round(one))
              + " deliveries per CPU-s), lost " + f3.getLong("lost") + ", ooo " + f3.getLong("out_of_order"), yes(ok)});
    }
    List<String> jsonRuns = protocolRuns("json");
    for (String p : List.of("protobuf", "mixed")) {
      List<String> runs = protocolRuns(p);
      if (runs.isEmpty() || jsonRuns.isEmpty()) {
        continue;
      }
      Double json = meanCpu(jsonRuns);
      Double us = meanCpu(runs);
      long lost = runs.stream().mapToLong(n -> RUNS.get(n).getLong("lost")).sum();
      boolean ok = us != null && json != null && us <= 1.10 * json && lost == 0;
      out.add(new String[] {"fanout " + (p.equals("mixed") ? "half JSON, half Protobuf" : "all Protobuf")
          + ": server CPU per delivery within 10% of all-JSON, 0 lost",
          String.format("%s vs %s µs (%s), lost %d", round2(us), round2(json), percent(us, json), lost), yes(ok)});
    }
    JsonObject chat = RUNS.get("chat-1node");
    if (chat != null) {
      long rate = chat.getJsonObject("publications").getLong("acked_per_second");
      double p99 = chat.getJsonObject("ack_ms").getDouble("p99");
      out.add(new String[] {"chat: ≥ 20,000 publications/s persisted, ack p99 ≤ 50 ms, 0 lost",
          rate + "/s, ack p99 " + p99 + " ms, lost " + chat.getLong("lost"),
          yes(rate >= 20_000 && p99 <= 50 && chat.getLong("lost") == 0)});
    }
    JsonObject rc = RUNS.get("reconnect-kill");
    if (rc != null) {
      JsonObject rec = rc.getJsonObject("recovery");
      double within = rec.getDouble("all_recovered_within_ms");
      boolean ok = rec.getLong("closed") > 0 && rec.getLong("recovered") >= rec.getLong("closed")
          && rec.getLong("not_recovered") == 0 && within <= 10_000 && rc.getLong("lost") == 0;
      out.add(new String[] {"reconnect: all reconnected and gap-filled within 10 s, 0 lost",
          rec.getLong("recovered") + "/" + rec.getLong("closed") + " recovered within " + within + " ms, lost "
              + rc.getLong("lost"), yes(ok)});
    }
    return out;
  }
}
