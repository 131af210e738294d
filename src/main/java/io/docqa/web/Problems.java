package io.docqa.web;

import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Maps any error, ours or the framework's, to the one problem model. */
public final class Problems {

    private Problems() {
    }

    public static ApiException of(Throwable error) {
        if (error instanceof ApiException api) {
            return api;
        }
        if (error instanceof AuthenticationException) {
            return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication is required");
        }
        if (error instanceof AccessDeniedException) {
            return ApiException.forbidden("Your role does not allow this");
        }
        if (error instanceof ServerExchangeRejectedException) {
            return RejectedRequests.malformed();
        }
        if (hasCause(error, InvalidMediaTypeException.class) || hasCause(error, InvalidMimeTypeException.class)
                || hasCause(error, IllegalCharsetNameException.class) || hasCause(error, UnsupportedCharsetException.class)) {
            return new ApiException(HttpStatus.BAD_REQUEST, "malformed_request",
                    "A media type or charset in the Content-Type or Accept header cannot be parsed or is not supported");
        }
        if (hasCause(error, DataBufferLimitException.class)) {
            return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large");
        }
        if (error instanceof ServerWebInputException input) {
            if (hasCause(input, DecodingException.class) || input.getStatusCode().value() == 400) {
                return new ApiException(HttpStatus.BAD_REQUEST, "malformed_request", readable(input));
            }
        }
        if (error instanceof ResponseStatusException status) {
            HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
            if (code == null) {
                code = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            return new ApiException(code, codeFor(code), detailFor(code));
        }
        if (DatabaseOutage.is(error)) {
            return ApiException.unavailable("database_unavailable", "The database is unreachable; try again shortly",
                    Duration.ofSeconds(5));
        }
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "An unexpected error occurred");
    }

    private static String readable(ServerWebInputException input) {
        if (hasCause(input, DecodingException.class)) {
            return "The request body does not parse as the media type its Content-Type names";
        }
        String reason = input.getReason();
        return reason == null ? "The request is malformed" : reason;
    }

    private static String codeFor(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case NOT_ACCEPTABLE -> "not_acceptable";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case URI_TOO_LONG -> "uri_too_long";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "headers_too_large";
            case BAD_REQUEST -> "malformed_request";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case SERVICE_UNAVAILABLE -> "unavailable";
            default -> status.is5xxServerError() ? "internal_error" : status.name().toLowerCase();
        };
    }

    private static String detailFor(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "No resource at this path";
            case METHOD_NOT_ALLOWED -> "This method is not allowed on this path";
            case NOT_ACCEPTABLE -> "None of the accepted media types can be produced";
            case UNSUPPORTED_MEDIA_TYPE -> "This content type is not supported here";
            case PAYLOAD_TOO_LARGE -> "The request body is too large";
            case URI_TOO_LONG -> "The request line is longer than this service accepts";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "The request headers are larger than this service accepts";
            case BAD_REQUEST -> "The request cannot be parsed";
            default -> status.is5xxServerError() ? "An unexpected error occurred" : status.getReasonPhrase();
        };
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
