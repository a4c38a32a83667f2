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
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws heap in use over time, linear axes, with the maximum heap as a dashed line: what {@link
 * StreamingBenchmark} shows to say that memory stays flat however long the input.
 */
final class HeapChart {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 40;
  private static final int TOP = 75;
  private static final int BOTTOM = 60;

  private HeapChart() {}

  /**
   * @param samples each {seconds, heap used MiB, delivered, heap after the last GC MiB}
   */
  static void write(Path png, List<double[]> samples, double maxHeapMib, String title, String note)
      throws IOException {
    double maxX = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1)[0]);
    double maxY = Math.ceil(maxHeapMib * 1.1 / 64) * 64;
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    g.drawString(title, LEFT, 32);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(note, LEFT, 54);

    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    double stepY = niceStep(maxY / 6);
    for (double y = 0; y <= maxY; y += stepY) {
      int py = TOP + plotH - (int) (y / maxY * plotH);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(LEFT, py, LEFT + plotW, py);
      g.setColor(Color.BLACK);
      String label = String.format(Locale.ROOT, "%.0f", y);
      g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 5);
    }
    double stepX = niceStep(maxX / 8);
    for (double x = 0; x <= maxX; x += stepX) {
      int px = LEFT + (int) (x / maxX * plotW);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(px, TOP, px, TOP + plotH);
      g.setColor(Color.BLACK);
      String label = String.format(Locale.ROOT, "%.0f", x);
      g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
    }
    g.drawString("seconds", LEFT + plotW / 2 - 25, HEIGHT - 15);
    g.rotate(-Math.PI / 2);
    g.drawString("heap used, MiB", -(TOP + plotH / 2 + 45), 22);
    g.rotate(Math.PI / 2);
    g.drawRect(LEFT, TOP, plotW, plotH);

    int maxPy = TOP + plotH - (int) (maxHeapMib / maxY * plotH);
    g.setColor(new Color(0xd62728));
    g.setStroke(
        new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 6f}, 0f));
    g.drawLine(LEFT, maxPy, LEFT + plotW, maxPy);
    g.drawString(
        String.format(Locale.ROOT, "max heap (-Xmx) %.0f MiB", maxHeapMib), LEFT + 10, maxPy - 6);

    Path2D line = new Path2D.Double();
    for (int i = 0; i < samples.size(); i++) {
      double[] s = samples.get(i);
      double px = LEFT + s[0] / maxX * plotW;
      double py = TOP + plotH - s[1] / maxY * plotH;
      if (i == 0) {
        line.moveTo(px, py);
      } else {
        line.lineTo(px, py);
      }
    }
    g.setColor(new Color(0x1f77b4));
    g.setStroke(new BasicStroke(1.5f));
    g.draw(line);
    Path2D live = new Path2D.Double();
    for (int i = 0; i < samples.size(); i++) {
      double[] s = samples.get(i);
      double px = LEFT + s[0] / maxX * plotW;
      double py = TOP + plotH - s[3] / maxY * plotH;
      if (i == 0) {
        live.moveTo(px, py);
      } else {
        live.lineTo(px, py);
      }
    }
    g.setColor(new Color(0x2ca02c));
    g.setStroke(new BasicStroke(2.5f));
    g.draw(live);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(new Color(0x1f77b4));
    g.drawString("heap used (live and garbage)", LEFT + plotW - 330, TOP + 20);
    g.setColor(new Color(0x2ca02c));
    g.drawString("heap after the last collection (live)", LEFT + plotW - 330, TOP + 38);
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  private static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / magnitude;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * magnitude;
  }
}
