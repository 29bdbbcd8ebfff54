package dev.slipway.api;

import java.util.List;

/**
 * The one shape of every HTTP error the control plane returns.
 *
 * @param title   short summary, e.g. "Not found"
 * @param status  the HTTP status
 * @param type    a stable machine-readable kind, e.g. {@code unknown-service}
 * @param details what exactly went wrong and what to do, one line each
 */
public record ErrorView(String title, int status, String type, List<String> details) {}
