package io.switchboard.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/** A self-contained HTML report (inline SVG, no script, nothing fetched) of one result JSON. */
final class HtmlReport {
  private static final int W = 760;
  private static final int H = 260;
  private static final int L = 60;
  private static final int R = 20;
  private static final int T = 20;
  private static final int B = 40;

  private HtmlReport() {}

  record Series(String name, String color, double[] ys) {}

  static String render(JsonObject r) {
    StringBuilder sb = new StringBuilder(32_000);
    sb.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>client-sim ")
        .append(esc(r.getString("scenario"))).append("</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:820px}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f4f4f4}td:first-child{text-align:left}svg{background:#fff;border:1px solid #ddd}")
        .append(".k{font:12px monospace;white-space:pre-wrap;word-break:break-all}</style></head><body>");
    sb.append("<h1>client-sim: ").append(esc(r.getString("scenario"))).append("</h1><p class=\"k\">run ")
        .append(esc(r.getString("run_id"))).append(", started ").append(esc(r.getString("started_at")))
        .append("</p><p class=\"k\">").append(esc(r.getJsonObject("params").encode())).append("</p>");
    sb.append(summaryTable(r));

    JsonArray tl = r.getJsonArray("timeline", new JsonArray());
    int n = tl.size();
    double[] t = new double[n];
    double[] p50 = new double[n];
    double[] p99 = new double[n];
    double[] max = new double[n];
    double[] deliv = new double[n];
    double[] sent = new double[n];
    double[] open = new double[n];
    double[] cpu = new double[n];
    for (int i = 0; i < n; i++) {
      JsonObject p = tl.getJsonObject(i);
      t[i] = p.getDouble("t", 0.0);
      boolean none = p.getDouble("max", 0.0) == 0; // no delivery that second: a gap, not a zero
      p50[i] = none ? Double.NaN : p.getDouble("p50", 0.0);
      p99[i] = none ? Double.NaN : p.getDouble("p99", 0.0);
      max[i] = none ? Double.NaN : p.getDouble("max", 0.0);
      deliv[i] = p.getDouble("delivered_per_s", 0.0);
      sent[i] = p.getDouble("sent_per_s", 0.0);
      open[i] = p.getDouble("open", 0.0);
      cpu[i] = p.getDouble("server_cpu_pct", 0.0);
    }
    sb.append("<h2>Latency over time (publish to delivery, per second, ms, log scale)</h2>");
    sb.append(chart(t, List.of(new Series("max", "#c22", max), new Series("p99", "#e80", p99),
        new Series("p50", "#2a7", p50)), true, x -> fmt(x) + "s", null));
    JsonArray pct = r.getJsonArray("latency_percentiles", new JsonArray());
    double[] px = new double[pct.size()];
    double[] py = new double[pct.size()];
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < pct.size(); i++) {
      double p = pct.getJsonObject(i).getDouble("percentile");
      px[i] = Math.log10(1 / (1 - Math.min(p, 99.999) / 100.0));
      py[i] = pct.getJsonObject(i).getDouble("ms");
      labels.add(fmt(p));
    }
    sb.append("<h2>Latency by percentile (ms, log scale)</h2>");
    sb.append(chart(px, List.of(new Series("latency", "#36c", py)), true,
        x -> fmt(100 * (1 - Math.pow(10, -x))) + "%", new double[] {0, 1, 2, 3, 4, 5}));
    sb.append("<h2>Throughput (per second)</h2>");
    sb.append(chart(t, List.of(new Series("delivered/s", "#36c", deliv), new Series("sent/s", "#e80", sent)),
        false, x -> fmt(x) + "s", null));
    sb.append("<h2>Open connections</h2>");
    sb.append(chart(t, List.of(new Series("open", "#2a7", open)), false, x -> fmt(x) + "s", null));
    if (r.containsKey("server")) {
      sb.append("<h2>Server CPU (% of one core)</h2>");
      sb.append(chart(t, List.of(new Series("cpu %", "#c22", cpu)), false, x -> fmt(x) + "s", null));
    }
    sb.append("<h2>Result JSON</h2><pre class=\"k\">").append(esc(withoutTimeline(r).encodePrettily()))
        .append("</pre></body></html>\n");
    return sb.toString();
  }

  private static JsonObject withoutTimeline(JsonObject r) {
    JsonObject c = r.copy();
    c.remove("timeline");
    return c;
  }

  private static String summaryTable(JsonObject r) {
    JsonObject c = r.getJsonObject("connections");
    JsonObject l = r.getJsonObject("latency_ms");
    JsonObject d = r.getJsonObject("deliveries");
    StringBuilder sb = new StringBuilder("<table>");
    row(sb, "connections ok / failed", c.getValue("ok") + " / " + c.getValue("failed"));
    row(sb, "handshakes/s", c.getValue("handshakes_per_second"));
    row(sb, "handshake p50 / p99 ms", r.getJsonObject("handshake_ms").getValue("p50") + " / "
        + r.getJsonObject("handshake_ms").getValue("p99"));
    row(sb, "publications acked / failed", r.getJsonObject("publications").getValue("acked") + " / "
        + r.getJsonObject("publications").getValue("failed"));
    row(sb, "deliveries (per second)", d.getValue("total") + " (" + d.getValue("per_second") + ")");
    row(sb, "latency p50 / p90 / p99 / p99.9 / max ms", l.getValue("p50") + " / " + l.getValue("p90") + " / "
        + l.getValue("p99") + " / " + l.getValue("p999") + " / " + l.getValue("max"));
    row(sb, "lost / duplicated / out of order", r.getValue("lost") + " / " + r.getValue("duplicated") + " / "
        + r.getValue("out_of_order"));
    JsonObject s = r.getJsonObject("server");
    if (s != null) {
      row(sb, "server CPU s (run) / us per delivery", s.getValue("cpu_seconds_run") + " / "
          + s.getValue("cpu_us_per_delivery"));
      row(sb, "server RSS KiB before / end of run / per connection", s.getValue("rss_kib_before") + " / "
          + s.getValue("rss_kib_end_of_run") + " / " + s.getValue("rss_growth_per_connection_kib"));
    }
    JsonObject rec = r.getJsonObject("recovery");
    if (rec != null) {
      row(sb, "recovered / not recovered / all within ms", rec.getValue("recovered") + " / "
          + rec.getValue("not_recovered") + " / " + rec.getValue("all_recovered_within_ms"));
    }
    return sb.append("</table>").toString();
  }

  private static void row(StringBuilder sb, String k, Object v) {
    sb.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(String.valueOf(v))).append("</td></tr>");
  }

  /**
   * A line chart; a log-scale y axis shows values from 0.01 up (smaller values sit on the axis). NaN values
   * break the line. {@code xTicks} places the x labels (null: seven evenly spaced).
   */
  static String chart(double[] xs, List<Series> series, boolean logY, DoubleFunction<String> xLabel,
                      double[] xTicks) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\">");
    if (xs.length == 0) {
      return sb.append("<text x=\"20\" y=\"40\">no data</text></svg>").toString();
    }
    double xMin = xs[0];
    double xMax = xs[xs.length - 1];
    if (xMax <= xMin) {
      xMax = xMin + 1;
    }
    double yMaxRaw = 0;
    for (Series s : series) {
      for (double y : s.ys) {
        if (!Double.isNaN(y)) {
          yMaxRaw = Math.max(yMaxRaw, y);
        }
      }
    }
    double yLo = logY ? -2 : 0;
    double yHi = logY ? Math.max(0, Math.ceil(Math.log10(Math.max(yMaxRaw, 0.01)))) : niceCeil(yMaxRaw);
    if (yHi <= yLo) {
      yHi = yLo + 1;
    }
    final double fxMin = xMin;
    final double fxMax = xMax;
    final double fyHi = yHi;
    DoubleFunction<Double> px = x -> L + (x - fxMin) / (fxMax - fxMin) * (W - L - R);
    DoubleFunction<Double> py = y -> {
      double v = logY ? Math.log10(Math.max(y, 0.01)) : y;
      return T + (1 - (v - yLo) / (fyHi - yLo)) * (H - T - B);
    };
    sb.append("<g stroke=\"#eee\" font-size=\"11\" fill=\"#555\">");
    int ticks = logY ? (int) (yHi - yLo) : 5;
    for (int i = 0; i <= ticks; i++) {
      double v = logY ? Math.pow(10, yLo + i) : yHi * i / ticks;
      double y = py.apply(v);
      sb.append(String.format("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", L, W - R, y, y));
      sb.append(String.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" stroke=\"none\">%s</text>", L - 4, y + 4,
          fmt(v)));
    }
    double[] ticks2 = xTicks;
    if (ticks2 == null) {
      ticks2 = new double[7];
      for (int i = 0; i <= 6; i++) {
        ticks2[i] = xMin + (xMax - xMin) * i / 6;
      }
    }
    for (double x : ticks2) {
      double X = px.apply(x);
      sb.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" stroke=\"none\">%s</text>", X, H - B + 16,
          esc(xLabel.apply(x))));
    }
    sb.append("</g>");
    int legendX = L + 10;
    for (Series s : series) {
      boolean open = false;
      for (int i = 0; i < xs.length && i < s.ys.length; i++) {
        if (Double.isNaN(s.ys[i])) {
          if (open) {
            sb.append("\"/>");
            open = false;
          }
          continue;
        }
        if (!open) {
          sb.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(s.color).append("\" points=\"");
          open = true;
        }
        sb.append(String.format("%.1f,%.1f ", px.apply(xs[i]), py.apply(s.ys[i])));
      }
      if (open) {
        sb.append("\"/>");
      }
      sb.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>", legendX, H - 8, s.color,
          esc(s.name)));
      legendX += 12 + 8 * s.name.length();
    }
    return sb.append("</svg>").toString();
  }

  static double niceCeil(double v) {
    if (v <= 0) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * mag >= v) {
        return m * mag;
      }
    }
    return 10 * mag;
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    if (Math.abs(v) >= 100) {
      return String.format("%.0f", v);
    }
    if (Math.abs(v) >= 1) {
      return String.format("%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return String.format("%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
