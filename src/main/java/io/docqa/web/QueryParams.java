package io.docqa.web;

import org.springframework.web.reactive.function.server.ServerRequest;

/** Reads bounded numeric query parameters, answering {@code validation_failed} when out of range. */
public final class QueryParams {

    private QueryParams() {
    }

    public static int intParam(ServerRequest request, String name, int fallback, int min, int max) {
        String raw = request.queryParam(name).orElse(null);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(name, "must be a whole number from " + min + " to " + max);
    }
}
