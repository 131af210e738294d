package io.docqa.limits;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.web.reactive.function.server.ServerRequest;
import io.docqa.web.ApiException;

/**
 * The query of {@code GET /api/v1/usage}: {@code from} (inclusive) and {@code to} (exclusive), each a date (UTC; as
 * {@code to}, the end of that day) or an instant, by default the current month until now; {@code group_by} one of
 * {@code day} (default), {@code user}, {@code api_key}. At most {@value #MAX_DAYS} days.
 */
record UsagePeriod(Instant from, Instant to, GroupBy groupBy) {

    static final int MAX_DAYS = 366;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    enum GroupBy {
        DAY("to_char(at at time zone 'UTC', 'YYYY-MM-DD')"), USER("cast(user_id as text)"), API_KEY("cast(api_key_id as text)");

        private final String key;

        GroupBy(String key) {
            this.key = key;
        }

        String key() {
            return key;
        }

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static UsagePeriod of(ServerRequest request, Instant now) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        Instant from = instant(request, "from", false,
                LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant(), errors);
        Instant to = instant(request, "to", true, now, errors);
        GroupBy groupBy = GroupBy.DAY;
        String group = request.queryParam("group_by").orElse(null);
        if (group != null) {
            groupBy = switch (group) {
                case "day" -> GroupBy.DAY;
                case "user" -> GroupBy.USER;
                case "api_key" -> GroupBy.API_KEY;
                default -> {
                    errors.add(new ApiException.FieldError("group_by", "must be one of day, user, api_key"));
                    yield GroupBy.DAY;
                }
            };
        }
        if (errors.isEmpty() && !from.isBefore(to)) {
            errors.add(new ApiException.FieldError("from", "must be before to"));
        }
        if (errors.isEmpty() && Duration.between(from, to).toDays() > MAX_DAYS) {
            errors.add(new ApiException.FieldError("from", "the period must not be longer than " + MAX_DAYS + " days"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new UsagePeriod(from, to, groupBy);
    }

    private static Instant instant(ServerRequest request, String name, boolean endOfDay, Instant fallback,
            List<ApiException.FieldError> errors) {
        String value = request.queryParam(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            Instant instant = Instant.parse(value.length() == 10
                    ? (endOfDay ? LocalDate.parse(value).plusDays(1) : LocalDate.parse(value)) + "T00:00:00Z" : value);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                errors.add(new ApiException.FieldError(name, "must be between " + EARLIEST + " and " + LATEST));
                return fallback;
            }
            return instant;
        }
        catch (DateTimeException | ArithmeticException e) {
            errors.add(new ApiException.FieldError(name, "must be a date (2026-12-01) or an instant (2026-12-01T00:00:00Z)"));
            return fallback;
        }
    }
}
