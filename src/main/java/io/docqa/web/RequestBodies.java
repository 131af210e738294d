package io.docqa.web;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * Reads a JSON request body and validates it, answering {@code validation_failed} with snake_case field names. Text
 * that no column can hold or no person typed is refused in every field: NUL and other control characters (tab and
 * line breaks aside) and unpaired surrogates.
 */
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
        List<ApiException.FieldError> errors = new ArrayList<>(unreadableText(body));
        validator.validate(body).forEach(v -> errors.add(new ApiException.FieldError(field(v), v.getMessage())));
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(ApiException.FieldError::field));
            throw ApiException.validation(errors);
        }
        return body;
    }

    private static List<ApiException.FieldError> unreadableText(Object body) {
        if (!body.getClass().isRecord()) {
            return List.of();
        }
        List<ApiException.FieldError> errors = new ArrayList<>();
        for (RecordComponent component : body.getClass().getRecordComponents()) {
            Object value = read(component, body);
            boolean bad = value instanceof String text ? !isReadable(text)
                    : value instanceof Collection<?> items && items.stream().anyMatch(item -> item instanceof String text && !isReadable(text));
            if (bad) {
                errors.add(new ApiException.FieldError(CAMEL.matcher(component.getName()).replaceAll("$1_$2").toLowerCase(),
                        "must not contain control characters or unpaired surrogates"));
            }
        }
        return errors;
    }

    public static boolean isReadable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')
                    || (Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(++i))))
                    || Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Object read(RecordComponent component, Object body) {
        try {
            Method accessor = component.getAccessor();
            accessor.trySetAccessible();
            return accessor.invoke(body);
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    private static String field(ConstraintViolation<?> violation) {
        return CAMEL.matcher(violation.getPropertyPath().toString()).replaceAll("$1_$2").toLowerCase();
    }
}
