package dev.embed4j.internal;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;

/**
 * The console bar, drawn by the optional progressbar library: {@code Embedding
 * [text-embedding-3-small] 75% ███████▌ | 15/20 texts | 850 texts/s | $0.000002 | 120 tok | ETA 1
 * s}. Only this class touches the library, so that it stays optional: it is loaded only after
 * {@link ProgressReporter#consoleAvailable()} found the library.
 */
final class ConsoleBar {
  private static final String BLOCKS = " ▏▎▍▌▋▊▉█";
  private static final int WIDTH = 10;

  private final ProgressBar bar;

  private ConsoleBar(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar to {@code texts}, or one that only counts for a stream of unknown length (-1). */
  static ConsoleBar open(String task, long texts) {
    return new ConsoleBar(
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(texts < 0 ? -1 : texts)
            .setUpdateIntervalMillis(200)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setRenderer(ConsoleBar::render)
            .build());
  }

  void step(int texts, String extra) {
    bar.setExtraMessage(extra);
    bar.stepBy(texts);
  }

  void close() {
    bar.close();
  }

  static String render(ProgressState s, int maxLength) {
    String extra =
        s.getExtraMessage() == null || s.getExtraMessage().isEmpty()
            ? ""
            : " | " + s.getExtraMessage();
    if (s.getMax() < 0) {
      String line = String.format("%s %d texts%s", s.getTaskName(), s.getCurrent(), extra);
      return line.length() > maxLength && maxLength > 0 ? line.substring(0, maxLength) : line;
    }
    long max = Math.max(1, s.getMax());
    double fraction = Math.min(1.0, (double) s.getCurrent() / max);
    int eighths = (int) Math.round(fraction * WIDTH * 8);
    StringBuilder bar = new StringBuilder();
    for (int i = 0; i < WIDTH; i++) {
      int cell = Math.max(0, Math.min(8, eighths - i * 8));
      bar.append(BLOCKS.charAt(cell));
    }
    String line =
        String.format(
            "%s %3d%% %s | %d/%d texts%s",
            s.getTaskName(), (int) (fraction * 100), bar, s.getCurrent(), s.getMax(), extra);
    return line.length() > maxLength && maxLength > 0 ? line.substring(0, maxLength) : line;
  }
}
