package io.docqa.limits;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import io.docqa.tenant.TenantQuotas;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Each quota of a tenant: its limit, what was used of it (now, or in the current period) and when it resets. */
@Component
class QuotaStates implements TenantQuotas {

    private final QuotaLimits limits;
    private final PeriodCounters counters;
    private final ObjectProvider<StoredUsage> stored;

    QuotaStates(QuotaLimits limits, PeriodCounters counters, ObjectProvider<StoredUsage> stored) {
        this.limits = limits;
        this.counters = counters;
        this.stored = stored;
    }

    @Override
    public Mono<Map<String, State>> of(TenantId tenant) {
        Instant now = Instant.now();
        StoredUsage storage = stored.getIfAvailable();
        Mono<StoredUsage.Stored> kept = storage == null ? Mono.just(new StoredUsage.Stored(0, 0, 0)) : storage.of(tenant);
        return Mono.zip(limits.of(tenant), kept).flatMap(both -> Flux.fromArray(Quota.values())
                .concatMap(quota -> (quota.periodic() ? counters.used(tenant, quota, quota.periodStart(now)) : Mono.just(both.getT2().of(quota)))
                        .map(used -> Map.entry(quota.json(), new State(both.getT1().limited(quota) ? both.getT1().of(quota) : null,
                                used, quota.resetsAt(now)))))
                .collect(LinkedHashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue())));
    }
}
