package io.docqa.limits;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.tenant.Role;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

@Component
class UsageHandler {

    private final UsageReport report;

    UsageHandler(UsageReport report) {
        this.report = report;
    }

    Mono<ServerResponse> usage(ServerRequest request) {
        return Caller.of(request).flatMap(caller -> {
            if (!caller.role().permissions().contains(Role.USAGE_READ)) {
                return Mono.error(ApiException.forbidden("Reading the tenant's usage needs the role admin or owner"));
            }
            UsagePeriod period = UsagePeriod.of(request, Instant.now());
            return report.items(caller.tenantId(), period).collectList()
                    .flatMap(items -> ServerResponse.ok().bodyValue(
                            new Usage(period.from(), period.to(), period.groupBy().json(), items)));
        });
    }

    record Usage(Instant from, Instant to, String groupBy, List<UsageReport.Item> items) {
    }
}
