package dev.slipway.model;

/**
 * A Kubernetes-style quantity: the text as the user wrote it (kept for generated manifests) and its
 * value in the base unit (millicores for CPU, bytes for memory).
 */
public record Quantity(String text, long value) {
  @Override
  public String toString() {
    return text;
  }
}
