package dev.embed4j.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws texts per second against requests in flight, both axes logarithmic: Embed4j's sweep, the
 * latency-bound ideal, the CPU-bound ceiling of the machine (texts over the CPU time client and
 * emulator used at the highest concurrency, spread over the cores they share), and each peer as one
 * point at 1 in flight (they send one request at a time).
 */
final class Chart {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 620;
  private static final int LEFT = 90;
  private static final int RIGHT = 40;
  private static final int TOP = 70;
  private static final int BOTTOM = 70;
  private static final Color EMBED4J = new Color(0x1f77b4);
  private static final Color IDEAL = new Color(0x999999);
  private static final Color CEILING = new Color(0x9467bd);
  private static final BasicStroke DASHED =
      new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 6f}, 0f);
  private static final BasicStroke DOTTED =
      new BasicStroke(
          2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 5f}, 0f);
  private static final Color[] PEERS = {
    new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)
  };

  private Chart() {}

  static void write(Path png, List<Harness.Result> results, Harness.Options options)
      throws IOException {
    List<double[]> mine = new ArrayList<>();
    List<double[]> ideal = new ArrayList<>();
    List<Harness.Result> peers = new ArrayList<>();
    Harness.Result busiest = null;
    for (Harness.Result r : results) {
      if (!Double.isNaN(r.idealSeconds()) && r.failure() == null) {
        mine.add(new double[] {r.concurrency(), r.textsPerSecond()});
        ideal.add(new double[] {r.concurrency(), r.texts() / r.idealSeconds()});
        busiest = busiest == null || r.concurrency() >= busiest.concurrency() ? r : busiest;
      } else if (r.failure() == null) {
        peers.add(r);
      }
    }
    double ceiling =
        busiest == null || Double.isNaN(busiest.emulatorCpuSeconds())
            ? Double.NaN
            : busiest.texts()
                / ((busiest.cpuSeconds() + busiest.emulatorCpuSeconds())
                    / Runtime.getRuntime().availableProcessors());
    double maxX = mine.stream().mapToDouble(p -> p[0]).max().orElse(64);
    double minY = Double.MAX_VALUE;
    double maxY = 0;
    for (double[] p : concat(mine, ideal)) {
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    for (Harness.Result r : peers) {
      minY = Math.min(minY, r.textsPerSecond());
      maxY = Math.max(maxY, r.textsPerSecond());
    }
    if (!Double.isNaN(ceiling)) {
      maxY = Math.max(maxY, ceiling);
    }
    double lowY = Math.pow(10, Math.floor(Math.log10(minY)));
    double highY = Math.pow(10, Math.ceil(Math.log10(maxY)));

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Axes axes = new Axes(maxX, lowY, highY);

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.setColor(Color.BLACK);
    g.drawString(
        String.format(
            Locale.ROOT,
            "Texts per second vs requests in flight: %,d texts, %d ms latency, " + "batches of %d",
            results.get(0).texts(),
            options.latencyMs(),
            options.batch()),
        LEFT,
        35);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(
        "local emulator, "
            + Runtime.getRuntime().availableProcessors()
            + " cores shared by client and emulator; both axes logarithmic",
        LEFT,
        55);

    // grid and ticks
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (double x = 1; x <= maxX; x *= 2) {
      int px = axes.x(x);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
      g.setColor(Color.BLACK);
      String label = Integer.toString((int) x);
      g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, HEIGHT - BOTTOM + 20);
    }
    for (double decade = lowY; decade <= highY * 1.0001; decade *= 10) {
      for (int m : new int[] {1, 2, 5}) {
        double y = decade * m;
        if (y > highY * 1.0001) {
          break;
        }
        int py = axes.y(y);
        g.setColor(m == 1 ? new Color(0xdddddd) : new Color(0xf3f3f3));
        g.drawLine(LEFT, py, WIDTH - RIGHT, py);
        g.setColor(Color.BLACK);
        String label = String.format(Locale.ROOT, "%,.0f", y);
        g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 5);
      }
    }
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    g.drawString(
        "requests in flight (Embed4j maxConcurrentRequests)", WIDTH / 2 - 150, HEIGHT - 25);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString("texts per second", -(HEIGHT / 2) - 50, 25);
    rotated.dispose();

    line(g, axes, ideal, IDEAL, DASHED, false);
    if (!Double.isNaN(ceiling)) {
      line(
          g,
          axes,
          List.of(new double[] {1, ceiling}, new double[] {maxX, ceiling}),
          CEILING,
          DOTTED,
          false);
    }
    line(g, axes, mine, EMBED4J, new BasicStroke(3f), true);

    int legendY = TOP + 25;
    legend(g, EMBED4J, "Embed4j (measured)", legendY, null);
    legend(
        g, IDEAL, "latency-bound ideal: ceil(N/batch)/in-flight x latency", legendY += 22, DASHED);
    if (!Double.isNaN(ceiling)) {
      legend(
          g,
          CEILING,
          String.format(
              Locale.ROOT,
              "CPU-bound ceiling here: %,.0f texts/s (client + emulator CPU "
                  + "at %d in flight / %d cores)",
              ceiling,
              busiest.concurrency(),
              Runtime.getRuntime().availableProcessors()),
          legendY += 22,
          DOTTED);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int i = 0; i < peers.size(); i++) {
      Harness.Result r = peers.get(i);
      Color c = PEERS[i % PEERS.length];
      int px = axes.x(1);
      int py = axes.y(r.textsPerSecond());
      g.setColor(c);
      g.fillRect(px - 6, py - 6, 12, 12);
      legendY += 22;
      g.fillRect(LEFT + 24, legendY - 11, 12, 12);
      legend(
          g,
          null,
          String.format(
              Locale.ROOT,
              "%s: %,.0f texts/s (one request at a time)",
              r.client(),
              r.textsPerSecond()),
          legendY,
          null);
    }
    g.dispose();
    if (png.getParent() != null) {
      Files.createDirectories(png.getParent());
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private static void line(
      Graphics2D g,
      Axes axes,
      List<double[]> points,
      Color color,
      BasicStroke stroke,
      boolean labels) {
    Path2D path = new Path2D.Double();
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      if (i == 0) {
        path.moveTo(axes.x(p[0]), axes.y(p[1]));
      } else {
        path.lineTo(axes.x(p[0]), axes.y(p[1]));
      }
    }
    g.setColor(color);
    g.setStroke(stroke);
    g.draw(path);
    g.setStroke(new BasicStroke(1f));
    if (labels) {
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
      for (double[] p : points) {
        int px = axes.x(p[0]);
        int py = axes.y(p[1]);
        g.fillOval(px - 5, py - 5, 10, 10);
        g.drawString(String.format(Locale.ROOT, "%,.0f", p[1]), px - 18, py + 20);
      }
    }
  }

  /**
   * A legend line: a stroke sample in {@code c} (none if null; solid if {@code stroke} is null),
   * then the text.
   */
  private static void legend(Graphics2D g, Color c, String text, int y, BasicStroke stroke) {
    int x = LEFT + 15;
    if (c != null) {
      g.setColor(c);
      g.setStroke(stroke != null ? stroke : new BasicStroke(3f));
      g.drawLine(x, y - 5, x + 30, y - 5);
      g.setStroke(new BasicStroke(1f));
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(text, x + 40, y);
  }

  private static List<double[]> concat(List<double[]> a, List<double[]> b) {
    List<double[]> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Data to pixels, log2 on x and log10 on y. */
  private record Axes(double maxX, double lowY, double highY) {
    int x(double v) {
      double f = Math.log(v) / Math.log(Math.max(2, maxX));
      return (int) Math.round(LEFT + f * (WIDTH - LEFT - RIGHT - 20) + 10);
    }

    int y(double v) {
      double f = (Math.log10(v) - Math.log10(lowY)) / (Math.log10(highY) - Math.log10(lowY));
      return (int) Math.round(HEIGHT - BOTTOM - f * (HEIGHT - TOP - BOTTOM));
    }
  }
}
