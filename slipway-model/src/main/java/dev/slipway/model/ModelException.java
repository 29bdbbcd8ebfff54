package dev.slipway.model;

import java.util.List;
import java.util.stream.Collectors;

/** A model file that cannot be used, with every problem found in it (never just the first). */
public final class ModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<ModelError> errors;

  public ModelException(List<ModelError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  public List<ModelError> errors() {
    return errors;
  }

  /** Every error formatted, one block per error, followed by a count. */
  public String format() {
    return errors.stream().map(ModelError::format).collect(Collectors.joining("\n"))
        + "\n" + errors.size() + (errors.size() == 1 ? " error" : " errors");
  }

  private static String summary(List<ModelError> errors) {
    if (errors.isEmpty()) {
      return "invalid model";
    }
    return errors.get(0).format() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
  }
}
