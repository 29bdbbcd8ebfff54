package dev.slipway.generate;

import java.util.List;

/** What stands in a chart template where the object trees differ between variants, or a helper applies. */
sealed interface ChartExpr {
  /** A value from {@code .Values}, quoted text or JSON. */
  record Value(ChartParam param) implements ChartExpr {}

  /** An image from {@code .Values} ({@code repository}, {@code tag}, {@code digest}), through the image helper. */
  record Image(ChartParam param) implements ChartExpr {}

  /** {@code .Release.Namespace}. */
  record Namespace() implements ChartExpr {}

  /** Text with the release namespace between each two parts: {@code db.NS.svc} is {@code ["db.", ".svc"]}. */
  record Namespaced(List<String> parts) implements ChartExpr {}

  /** The labels (or, with {@code selector}, the selector labels) of one component, from {@code _helpers.tpl}. */
  record Labels(String component, boolean selector) implements ChartExpr {}
}
