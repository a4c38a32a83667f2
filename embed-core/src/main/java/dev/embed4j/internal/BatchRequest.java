package dev.embed4j.internal;

import dev.embed4j.EmbedInput;
import dev.embed4j.InputType;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One batch as the provider sees it: its texts as sent, the run's options, cancelled with the run.
 */
final class BatchRequest implements EmbeddingProvider.Request {
  private final List<String> texts;
  private final List<EmbedInput> contents; // Images (issue 12): null for texts
  private final Settings settings;
  private final RunControl control;

  BatchRequest(Batch batch, Settings settings, RunControl control) {
    List<String> list = new ArrayList<>(batch.size());
    List<EmbedInput> parts = batch.inputs()[0].content == null ? null : new ArrayList<>();
    for (Input in : batch.inputs()) {
      list.add(in.sendText);
      if (parts != null) {
        parts.add(in.content);
      }
    }
    this.texts = Collections.unmodifiableList(list);
    this.contents = parts == null ? null : Collections.unmodifiableList(parts);
    this.settings = settings;
    this.control = control;
  }

  @Override
  public List<EmbedInput> inputs() {
    return contents != null ? contents : EmbeddingProvider.Request.super.inputs();
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
