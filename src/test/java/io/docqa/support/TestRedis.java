package io.docqa.support;

import java.util.UUID;

/**
 * The Redis of the rate limits for this test run: {@code DOCQA_TEST_REDIS} (a redis:// URL, default
 * redis://127.0.0.1:6379), with a key prefix of this run's own, so that runs sharing one Redis never see each other's
 * buckets; every key expires by itself once its bucket is full again.
 */
public final class TestRedis {

    private static final String PREFIX = "docqa-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    private TestRedis() {
    }

    public static String url() {
        String configured = TestDatabase.setting("DOCQA_TEST_REDIS");
        return configured == null ? "redis://127.0.0.1:6379" : configured;
    }

    public static String keyPrefix() {
        return PREFIX;
    }
}
