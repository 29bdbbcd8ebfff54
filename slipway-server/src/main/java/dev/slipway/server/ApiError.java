package dev.slipway.server;

import java.util.List;

/**
 * An HTTP error to answer with; rendered in the one error shape ({@code ErrorView}) by {@link ApiServer}
 * and by the team server ({@code dev.slipway.server.team}).
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String type;
  final transient List<String> details;

  public ApiError(int status, String type, String title, List<String> details) {
    super(title);
    this.status = status;
    this.type = type;
    this.details = List.copyOf(details);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public List<String> details() {
    return details;
  }

  public static ApiError notFound(String type, String detail) {
    return new ApiError(404, type, "Not found", List.of(detail));
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, "bad-request", "Bad request", List.of(detail));
  }

  /** 409: the request is valid but the state refuses it ({@code protected}, {@code frozen}, {@code local-target}). */
  public static ApiError conflict(String type, String title, String... details) {
    return new ApiError(409, type, title, List.of(details));
  }
}
