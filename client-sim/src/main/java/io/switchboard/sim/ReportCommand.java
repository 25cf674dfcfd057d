package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Render the HTML report of a result JSON again (FILE.json -> FILE.html), and print its summary.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE.json", description = "A result written with --json")
  Path json;

  @Option(names = "--html", paramLabel = "FILE", description = "Where to write the HTML (default: beside the JSON)")
  Path html;

  @Override
  public Integer call() throws Exception {
    JsonObject result = new JsonObject(Files.readString(json));
    Path out = html != null ? html
        : json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", "") + ".html");
    Files.writeString(out, HtmlReport.render(result), StandardCharsets.UTF_8);
    System.out.println(Report.summary(result));
    return 0;
  }
}
