import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a flame graph as SVG from collapsed stacks (async-profiler's {@code collapsed} output: one line per stack,
 * frames root first separated by ';', then a space and the sample count), so it can sit in a Markdown page.
 *
 * <pre>java bench/FlameGraph.java IN.collapsed OUT.svg "title" [min-percent]</pre>
 *
 * Frames narrower than min-percent (default 0.3) of all samples are left out; colours tell the kind of frame:
 * Java (green), JVM internals such as the JIT and GC (orange), native and kernel (red).
 */
public class FlameGraph {
  static final int WIDTH = 1200;
  static final int ROW = 16;

  static final class Node {
    final String name;
    long samples;
    final Map<String, Node> children = new LinkedHashMap<>();

    Node(String name) {
      this.name = name;
    }
  }

  public static void main(String[] args) throws IOException {
    Node root = new Node("all");
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      int sp = line.lastIndexOf(' ');
      if (sp <= 0) {
        continue;
      }
      long n = Long.parseLong(line.substring(sp + 1).trim());
      root.samples += n;
      Node at = root;
      for (String frame : line.substring(0, sp).split(";")) {
        at = at.children.computeIfAbsent(frame, Node::new);
        at.samples += n;
      }
    }
    double minPct = args.length > 3 ? Double.parseDouble(args[3]) : 0.3;
    long min = (long) Math.ceil(root.samples * minPct / 100);
    List<Object[]> boxes = new ArrayList<>();
    collect(root, 0, 0, min, boxes);
    int depth = 0;
    for (Object[] b : boxes) {
      depth = Math.max(depth, (int) b[1]);
    }
    int base = (depth + 2) * ROW + 30;
    double px = (double) WIDTH / root.samples;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(base + 4).append("\" font-family=\"monospace\" font-size=\"11\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#fdfdf8\"/>\n")
        .append("<text x=\"6\" y=\"18\" font-size=\"14\">").append(esc(args[2])).append(" (")
        .append(root.samples).append(" samples; hover a box for its name and share)</text>\n");
    for (Object[] b : boxes) {
      Node n = (Node) b[0];
      int level = (int) b[1];
      double x = (long) b[2] * px;
      double w = n.samples * px;
      String label = n.name + " (" + String.format("%.1f", 100.0 * n.samples / root.samples) + "%)";
      int chars = (int) (w / 6.6);
      String shown = chars < 4 ? "" : label.length() <= chars ? label : label.substring(0, chars - 2) + "..";
      svg.append(String.format(java.util.Locale.ROOT, "<g><title>%s</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
              + "height=\"%d\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.5\"/><text x=\"%.1f\" y=\"%d\">%s</text></g>%n",
          esc(label), x, base - (level + 1) * ROW, w, ROW - 1, colour(n.name), x + 3, base - level * ROW - 4,
          esc(shown)));
    }
    svg.append("</svg>\n");
    Files.writeString(Path.of(args[1]), svg);
  }

  /** Lists {@code n} (at x, in samples) and its children wide enough to draw. */
  static void collect(Node n, int level, long x, long min, List<Object[]> out) {
    out.add(new Object[] {n, level, x});
    long cx = x;
    for (Node c : n.children.values()) {
      if (c.samples >= min) {
        collect(c, level + 1, cx, min, out);
      }
      cx += c.samples;
    }
  }

  static String colour(String frame) {
    if (frame.contains("/") || frame.contains(".")) {
      return frame.endsWith("_[j]") || frame.contains("/") ? "#8fd18f" : "#e8a84e";
    }
    if (frame.contains("::") || frame.startsWith("G1") || frame.startsWith("Phase") || frame.startsWith("C2")) {
      return "#e8a84e";
    }
    return "#e86a5a";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
