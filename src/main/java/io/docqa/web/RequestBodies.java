package io.docqa.web;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/** Reads a JSON request body and validates it, answering {@code validation_failed} with snake_case field names. */
@Component
public class RequestBodies {

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    private final Validator validator;

    RequestBodies(Validator validator) {
        this.validator = validator;
    }

    public <T> Mono<T> read(ServerRequest request, Class<T> type) {
        return request.bodyToMono(type)
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.BAD_REQUEST, "malformed_request",
                        "A JSON request body is required")))
                .map(this::validate);
    }

    public <T> T validate(T body) {
        var violations = validator.validate(body);
        if (!violations.isEmpty()) {
            List<ApiException.FieldError> errors = violations.stream()
                    .map(v -> new ApiException.FieldError(field(v), v.getMessage()))
                    .sorted(Comparator.comparing(ApiException.FieldError::field))
                    .toList();
            throw ApiException.validation(errors);
        }
        return body;
    }

    private static String field(ConstraintViolation<?> violation) {
        return CAMEL.matcher(violation.getPropertyPath().toString()).replaceAll("$1_$2").toLowerCase();
    }
}
