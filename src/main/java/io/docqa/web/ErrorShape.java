package io.docqa.web;

/**
 * The error body of a protocol that brings its own (OpenAI's, on its paths). A feature declares one as a bean; the
 * {@link ProblemWriter} then writes every error on the paths it covers as {@code application/json} in that shape, with
 * the same status and headers, instead of problem+json.
 */
public interface ErrorShape {

    boolean covers(String path);

    Object body(ApiException problem);
}
