package io.docqa.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant quota: what it bounds and over which period (UTC). Storage quotas bound what the tenant keeps and never
 * reset; the others count what was used in the current day or month.
 */
public enum Quota {

    DOCUMENTS(Period.NONE),
    BYTES(Period.NONE),
    CHUNKS(Period.NONE),
    MONTHLY_COMPLETION_TOKENS(Period.MONTH),
    DAILY_QUESTIONS(Period.DAY);

    enum Period { NONE, DAY, MONTH }

    private final Period period;

    Quota(Period period) {
        this.period = period;
    }

    /** The name in JSON and in the operator's paths. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Quota> parse(String name) {
        for (Quota quota : values()) {
            if (quota.json().equals(name)) {
                return Optional.of(quota);
            }
        }
        return Optional.empty();
    }

    boolean periodic() {
        return period != Period.NONE;
    }

    /** Start of the period that {@code now} falls in (the epoch for a storage quota). */
    Instant periodStart(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (period) {
            case NONE -> Instant.EPOCH;
            case DAY -> day.atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        };
    }

    /** When the period of {@code now} ends; null for a storage quota. */
    Instant resetsAt(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (period) {
            case NONE -> null;
            case DAY -> day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> day.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        };
    }
}
