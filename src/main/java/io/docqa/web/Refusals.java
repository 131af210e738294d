package io.docqa.web;

import org.springframework.stereotype.Component;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the requests refused for want of capacity or allowance, {@code 429} (rate limits, queue, quotas) and
 * {@code 503}, by status and problem code: a new code is counted without anything else to change.
 */
@Component
class Refusals {

    private final MeterRegistry meters;

    Refusals(MeterRegistry meters) {
        this.meters = meters;
    }

    void count(ApiException problem) {
        int status = problem.status().value();
        if (status == 429 || status == 503) {
            Counter.builder("docqa.refusals").description("Requests refused with 429 or 503, by problem code")
                    .tag("status", Integer.toString(status)).tag("code", problem.code())
                    .register(meters).increment();
        }
    }
}
