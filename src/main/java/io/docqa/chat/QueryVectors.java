package io.docqa.chat;

/** Arithmetic on query embeddings. */
final class QueryVectors {

    private QueryVectors() {
    }

    /** {@code question + weight * earlier}, scaled to unit length: the question leads, the conversation steers. */
    static float[] weighted(float[] question, float[] earlier, double weight) {
        float[] sum = new float[question.length];
        double norm = 0;
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (float) (question[i] + weight * earlier[i]);
            norm += sum[i] * sum[i];
        }
        double length = Math.sqrt(norm);
        for (int i = 0; length > 0 && i < sum.length; i++) {
            sum[i] = (float) (sum[i] / length);
        }
        return sum;
    }
}
