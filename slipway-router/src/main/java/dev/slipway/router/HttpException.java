package dev.slipway.router;

/**
 * A message the router cannot (or must not) pass on: a malformed request (answered with its
 * {@link #status}, then the connection closes) or a malformed response (502).
 */
final class HttpException extends Exception {
    final int status;

    HttpException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
