package dev.embed4j.internal;

import dev.embed4j.Input;
import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch as the provider sees it: its texts as sent, the run's options, cancelled with the run.
 */
final class BatchRequest implements EmbeddingProvider.Request {
  private final List<String> texts;
  private final List<Input> inputs;
  private final Settings settings;
  private final RunControl control;

  BatchRequest(Batch batch, List<String> sendTexts, Settings settings, RunControl control) {
    this(batch, sendTexts, null, settings, control);
  }

  /** {@code runInputs}: the run's {@link Input}s, or null for a run of texts. */
  BatchRequest(
      Batch batch,
      List<String> sendTexts,
      List<Input> runInputs,
      Settings settings,
      RunControl control) {
    List<String> list = new ArrayList<>(batch.indices().length);
    List<Input> in = runInputs == null ? null : new ArrayList<>(batch.indices().length);
    for (int i : batch.indices()) {
      list.add(sendTexts.get(i));
      if (in != null) {
        in.add(runInputs.get(i));
      }
    }
    this.texts = List.copyOf(list);
    this.inputs = in == null ? null : List.copyOf(in);
    this.settings = settings;
    this.control = control;
  }

  @Override
  public List<Input> inputs() {
    return inputs != null ? inputs : EmbeddingProvider.Request.super.inputs();
  }

  @Override
  public ModelSpec model() {
    return settings.model;
  }

  @Override
  public List<String> texts() {
    return texts;
  }

  @Override
  public int dimensions() {
    return settings.dims;
  }

  @Override
  public InputType inputType() {
    return settings.type;
  }

  @Override
  public boolean truncate() {
    return settings.truncate;
  }

  @Override
  public boolean isCancelled() {
    return control.isAborted();
  }

  @Override
  public Runnable onCancel(Runnable action) {
    return control.onCancel(action);
  }
}
