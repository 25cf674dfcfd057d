package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ArgumentsTest {
  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    CommandLine cl = ClientSim.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryScenario() {
    Outcome o = run("--help");
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("idle", "connect-storm", "fanout", "chat", "notify", "reconnect");
    Outcome f = run("fanout", "--help");
    assertThat(f.code()).isZero();
    assertThat(f.out()).contains("--rate", "--payload-bytes", "--procs", "--source-ips", "--server-pids", "--json");
  }

  @Test
  void noScenarioIsAnError() {
    Outcome o = run();
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("Name a scenario");
  }

  @Test
  void badValuesGetOneClearMessageEach() {
    Outcome o = run("fanout", "--token-secret", "s", "--api", "http://127.0.0.1:1/api", "-n", "0", "--rate", "-1");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--connections must be between 1 and 1000000, was 0")
        .contains("--rate must be above 0").contains("Try 'switchboard-client-sim fanout --help'");
  }

  @Test
  void onlyLoopbackTargetsAreAccepted() {
    Outcome o = run("idle", "--token-secret", "s", "--url", "ws://10.1.2.3:8000/connection/websocket",
        "--source-ips", "192.168.1.2");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("10.1.2.3 is not on this machine").contains("192.168.1.2 is not an address of 127");
    assertThat(CommonOptions.isLoopback("127.0.0.3", true)).isTrue();
    assertThat(CommonOptions.isLoopback("127.0.0.300", true)).isFalse();
    assertThat(CommonOptions.isLoopback("localhost", true)).isFalse();
    assertThat(CommonOptions.isLoopback("localhost", false)).isTrue();
  }

  @Test
  void missingSecretAndApiAreReported() {
    Outcome o = run("fanout", "--token-secret", "");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("--token-secret").contains("--api is required for fanout");
  }

  @Test
  void unknownOptionsAndBadDurationsAreRejected() {
    assertThat(run("idle", "--bogus").code()).isEqualTo(2);
    Outcome o = run("idle", "--duration", "soon");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("not a duration");
  }

  @Test
  void scenarioSpecificChecks() {
    assertThat(run("reconnect", "--token-secret", "s", "--api", "http://127.0.0.1:1/api", "--duration", "5s",
        "--drop-after", "6s").err()).contains("--drop-after");
    assertThat(run("notify", "--token-secret", "s", "--api", "http://127.0.0.1:1/api", "-n", "10", "--users", "11")
        .err()).contains("--users must be between 1 and --connections");
    assertThat(run("chat", "--token-secret", "s", "--raw").err()).contains("chat needs the protocol");
  }

  @Test
  void durations() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("7")).isEqualTo(Duration.ofSeconds(7));
    assertThatThrownBy(() -> DurationConverter.parse("-1s")).hasMessageContaining("not a duration");
  }

  @Test
  void childrenGetTheParentsArgumentsWithoutItsOutputs() {
    List<String> args = ChildCommand.childArgs(List.of("fanout", "--json", "out.json", "--html=r.html", "-n", "100",
        "--server-pids", "1,2", "--quiet", "--procs", "3"), 1, "abc");
    assertThat(args).containsExactly("fanout", "-n", "100", "--procs", "3", "--child-index", "1", "--run-id", "abc",
        "--quiet");
  }

  @Test
  void connectionsAreSplitContiguouslyOverProcesses() {
    assertThat(Runner.slice(10, 3, 0)).containsExactly(0, 3);
    assertThat(Runner.slice(10, 3, 1)).containsExactly(3, 6);
    assertThat(Runner.slice(10, 3, 2)).containsExactly(6, 10);
    assertThat(Runner.slice(45_000, 3, 2)).containsExactly(30_000, 45_000);
  }

  @Test
  void pacerIssuesTheRateOverTime() {
    assertThat(Pacer.due(10, 0, 0)).isZero();
    assertThat(Pacer.due(10, 1_000_000_000L, 0)).isEqualTo(10);
    assertThat(Pacer.due(10, 1_500_000_000L, 10)).isEqualTo(5);
    assertThat(Pacer.due(0.5, 3_000_000_000L, 1)).isZero();
  }

  @Test
  void connectionsSpreadOverNodesAndReconnectElsewhere() {
    List<java.net.URI> urls = List.of(java.net.URI.create("ws://127.0.0.1:1/"), java.net.URI.create("ws://127.0.0.1:2/"),
        java.net.URI.create("ws://127.0.0.1:3/"));
    assertThat(SimConnection.pickUrl(urls, false, 0, 0).getPort()).isEqualTo(1);
    assertThat(SimConnection.pickUrl(urls, false, 1, 0).getPort()).isEqualTo(2);
    assertThat(SimConnection.pickUrl(urls, false, 1, 1).getPort()).isEqualTo(3);
    for (int i = 0; i < 10; i++) {
      assertThat(SimConnection.pickUrl(urls, true, i, 0).getPort()).isEqualTo(1);
      for (int a = 1; a < 5; a++) {
        assertThat(SimConnection.pickUrl(urls, true, i, a).getPort()).isNotEqualTo(1);
      }
    }
  }

  @Test
  void drainEndsWhenDeliveriesStopAndEveryoneIsBack() {
    Runner.Quiescence q = new Runner.Quiescence(true);
    io.vertx.core.json.JsonObject t = new io.vertx.core.json.JsonObject().put("delivered", 10L);
    assertThat(q.reached(t, 0)).isFalse();
    assertThat(q.reached(t, 1_000_000_000L)).isFalse();
    assertThat(q.reached(t, 1_300_000_000L)).isTrue();
    t.put("delivered", 11L);
    assertThat(q.reached(t, 1_400_000_000L)).isFalse();
    t.put("closed", 2L).put("recovered", 1L);
    assertThat(q.reached(t, 9_000_000_000L)).isFalse(); // one client still reconnecting
    t.put("not_recovered", 1L);
    assertThat(q.reached(t, 9_100_000_000L)).isTrue();
    // without reconnection a closed client is simply gone: it does not hold the drain
    Runner.Quiescence once = new Runner.Quiescence(false);
    io.vertx.core.json.JsonObject closed = new io.vertx.core.json.JsonObject().put("delivered", 5L).put("closed", 3L);
    assertThat(once.reached(closed, 0)).isFalse();
    assertThat(once.reached(closed, 1_300_000_000L)).isTrue();
  }
}
