package dev.slipway.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's one exception type. It carries what the admin API renders as its error body
 * ({@code {"title","status","type","details":[...]}}) and what {@link RouterMain} prints before
 * exiting.
 */
public final class RouterException extends Exception {
    private final int status;
    private final String type;
    private final String title;
    private final List<String> details;

    public RouterException(int status, String type, String title, List<String> details) {
        super(details.isEmpty() ? title : title + ": " + String.join("; ", details));
        this.status = status;
        this.type = type;
        this.title = title;
        this.details = List.copyOf(details);
    }

    public RouterException(int status, String type, String title, List<String> details, Throwable cause) {
        this(status, type, title, details);
        initCause(cause);
    }

    /** HTTP status the admin API answers with. */
    public int status() {
        return status;
    }

    /** A stable, machine-readable id of the kind of error, e.g. {@code invalid-config}. */
    public String type() {
        return type;
    }

    /** The short human title, without the details. */
    public String title() {
        return title;
    }

    /** One entry per problem, each naming where it is and what to do. */
    public List<String> details() {
        return details;
    }

    Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title());
        body.put("status", (long) status);
        body.put("type", type);
        body.put("details", details);
        return body;
    }
}
