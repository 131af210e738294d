package io.docqa.ai;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * One ONNX Runtime run of the model over several token windows at once: a {@code [windows, longest]} input, the shorter
 * windows padded and masked out, and each window's output mean-pooled over its own tokens only ([CLS] and [SEP]
 * included), as LangChain4j pools a window run alone. The padding changes nothing the model computes for the real
 * tokens of fp32; the int8 model quantizes its activations with one scale per run, so it must run one window at a time.
 */
final class MeanPooledRun {

    private MeanPooledRun() {
    }

    /** The pooled (not normalised) vector of each window, in their order. Blocks the calling thread. */
    static float[][] of(OrtEnvironment environment, OrtSession session, boolean takesTokenTypes, List<long[]> windows)
            throws OrtException {
        int longest = windows.stream().mapToInt(window -> window.length).max().orElseThrow();
        long[] ids = new long[windows.size() * longest];
        long[] mask = new long[ids.length];
        for (int w = 0; w < windows.size(); w++) {
            long[] window = windows.get(w);
            System.arraycopy(window, 0, ids, w * longest, window.length);
            Arrays.fill(mask, w * longest, w * longest + window.length, 1);
        }
        long[] shape = {windows.size(), longest};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor tokenTypes = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", inputIds);
            inputs.put("attention_mask", attentionMask);
            if (takesTokenTypes) {
                inputs.put("token_type_ids", tokenTypes);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer(); // [windows, longest, 384]
                float[] hidden = new float[buffer.remaining()];
                buffer.get(hidden);
                return pooled(hidden, windows, longest);
            }
        }
    }

    private static float[][] pooled(float[] hidden, List<long[]> windows, int longest) {
        int dimension = MiniLmModel.DIMENSION;
        float[][] pooled = new float[windows.size()][dimension];
        for (int w = 0; w < windows.size(); w++) {
            float[] mean = pooled[w];
            int tokens = windows.get(w).length;
            for (int token = 0; token < tokens; token++) {
                int offset = (w * longest + token) * dimension;
                for (int i = 0; i < dimension; i++) {
                    mean[i] += hidden[offset + i];
                }
            }
            for (int i = 0; i < dimension; i++) {
                mean[i] /= tokens;
            }
        }
        return pooled;
    }
}
