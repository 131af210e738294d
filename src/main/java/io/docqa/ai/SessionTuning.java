package io.docqa.ai;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime session options beyond the thread count, applied to every session of a model: the service runs with
 * {@link #DEFAULT} (sessions never spin); {@code EmbedderSetUpBenchmark} compares others against it.
 */
@FunctionalInterface
interface SessionTuning {

    /** Threads that wait for work sleep instead of spinning: on a shared machine spinning burns another tenant's core. */
    SessionTuning DEFAULT = options -> options.addConfigEntry("session.intra_op.allow_spinning", "0");

    void apply(OrtSession.SessionOptions options) throws OrtException;

    default SessionTuning and(SessionTuning next) {
        return options -> {
            apply(options);
            next.apply(options);
        };
    }
}
