package io.docqa.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code drainPeriod}: how long a stopping instance reports not-ready while it keeps serving, so that load balancers
 * stop sending it requests before open streams are ended. It must stay below
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@ConfigurationProperties("docqa.shutdown")
record ShutdownProperties(@DefaultValue("10s") Duration drainPeriod) {

    ShutdownProperties {
        if (drainPeriod.isNegative()) {
            throw new IllegalArgumentException("docqa.shutdown.drain-period must not be negative");
        }
    }
}
