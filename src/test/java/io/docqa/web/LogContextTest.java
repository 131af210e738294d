package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The MDC holds the facts of the request a thread runs, and never another's, whatever ran on that thread before. */
class LogContextTest {

    @AfterEach
    void clean() {
        MDC.clear();
    }

    @Test
    void aThreadTakesEachRequestsFactsInTurnAndGivesThemBack() {
        RequestFacts first = new RequestFacts("first", null);
        RequestFacts second = new RequestFacts("second", null);
        second.identify(UUID.randomUUID(), null, "key-1");

        try (var outer = LogContext.open(first)) {
            assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("first");
            try (var inner = LogContext.open(second)) {
                assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("second");
                assertThat(MDC.get(LogContext.API_KEY_ID)).isEqualTo("key-1");
            }
            assertThat(MDC.getCopyOfContextMap()).as("the first request's MDC again").isEqualTo(Map.of(LogContext.REQUEST_ID, "first"));
        }
        assertThat(MDC.getCopyOfContextMap()).as("nothing left behind").isNullOrEmpty();
    }

    @Test
    void theCallerShowsOnceKnownEvenOnTheThreadThatHoldsTheFactsAlready() {
        RequestFacts facts = new RequestFacts("late-caller", null);
        UUID tenant = UUID.randomUUID();
        try (var scope = LogContext.open(facts)) {
            assertThat(MDC.get(LogContext.TENANT_ID)).isNull();
            facts.identify(tenant, "user-1", null);
            assertThat(MDC.get(LogContext.TENANT_ID)).isEqualTo(tenant.toString());
            assertThat(MDC.get(LogContext.USER_ID)).isEqualTo("user-1");
        }
    }

    @Test
    void anMdcClearedBehindItsBackIsWrittenAgain() {
        RequestFacts facts = new RequestFacts("cleared", null);
        try (var outer = LogContext.open(facts)) {
            MDC.clear();
            try (var inner = LogContext.open(facts)) {
                assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("cleared");
            }
        }
    }

    @Test
    void reactorHandsTheFactsToTheThreadThatRunsTheNextStep() {
        RequestFacts facts = new RequestFacts("hopped", null);
        LogContext.register();
        // handle restores ThreadLocals in either propagation mode: this test leaves Reactor's global hooks alone
        Mono.just(1).publishOn(Schedulers.single())
                .<String>handle((ignored, sink) -> sink.next(String.valueOf(MDC.get(LogContext.REQUEST_ID))))
                .contextWrite(facts::into)
                .as(StepVerifier::create)
                .expectNext("hopped")
                .verifyComplete();
    }
}
