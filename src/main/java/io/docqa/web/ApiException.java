package io.docqa.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * The one exception a feature throws to answer with a problem. Rendered as {@code application/problem+json}
 * by {@link ProblemExceptionHandler}; {@code code} is the stable machine string clients match on.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldError> errors;
    private final Duration retryAfter;
    private final Map<String, Object> properties;

    public ApiException(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of(), null);
    }

    private ApiException(HttpStatus status, String code, String detail, List<FieldError> errors, Duration retryAfter) {
        this(status, code, detail, errors, retryAfter, Map.of());
    }

    private ApiException(HttpStatus status, String code, String detail, List<FieldError> errors, Duration retryAfter,
            Map<String, Object> properties) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.properties = properties;
    }

    /** The same problem with one more member of its body (an RFC 9457 extension member; null values are written). */
    public ApiException with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new ApiException(status, code, getMessage(), errors, retryAfter, java.util.Collections.unmodifiableMap(more));
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " not found");
    }

    public static ApiException validation(List<FieldError> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", "The request is not valid", errors, null);
    }

    public static ApiException invalid(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(HttpStatus.CONFLICT, code, detail);
    }

    public static ApiException tooManyRequests(String code, String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, code, detail, List.of(), retryAfter);
    }

    public static ApiException unavailable(String code, String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, detail, List.of(), retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds for a {@code Retry-After} header, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Extension members of the problem body, in order. */
    public Map<String, Object> properties() {
        return properties;
    }

    public record FieldError(String field, String message) {
    }
}
