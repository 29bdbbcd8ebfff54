package dev.slipway.model;

import java.nio.file.Path;

/** A place in a model file; line and column are 1-based. */
public record SourceLocation(Path file, int line, int column) {
  @Override
  public String toString() {
    return (file == null ? "<unknown>" : file.toString()) + ":" + line + ":" + column;
  }
}
