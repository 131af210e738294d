package io.docqa.chat;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Each tenant's and each caller's (user's or API key's) share of the model on this instance: answers waiting or being
 * generated at once. Keep {@code maxPerTenant} well below {@code docqa.chat.max-queued-generations}, so that the
 * queue has room for the tenants that are not flooding it.
 */
@ConfigurationProperties("docqa.chat.shares")
record GenerationShares(
        @DefaultValue("20") int maxPerTenant,
        @DefaultValue("8") int maxPerCaller) {

    GenerationShares {
        if (maxPerTenant < 1 || maxPerCaller < 1) {
            throw new IllegalArgumentException("docqa.chat.shares.max-per-tenant and max-per-caller must be at least 1");
        }
    }
}
