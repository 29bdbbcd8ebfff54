package dev.slipway.server;

import java.util.List;

/** An HTTP error to answer with; rendered in the one error shape by {@link ApiServer}. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String type;
  final transient List<String> details;

  ApiError(int status, String type, String title, List<String> details) {
    super(title);
    this.status = status;
    this.type = type;
    this.details = List.copyOf(details);
  }

  static ApiError notFound(String type, String detail) {
    return new ApiError(404, type, "Not found", List.of(detail));
  }

  static ApiError badRequest(String detail) {
    return new ApiError(400, "bad-request", "Bad request", List.of(detail));
  }
}
