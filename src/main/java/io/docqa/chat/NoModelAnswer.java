package io.docqa.chat;

import java.util.List;

import io.docqa.ai.LlmException;

/**
 * The answer while no model is reachable and the service runs without one ({@code docqa.ollama.required=false}): it says
 * so and quotes the passages found, numbered as the sources are. Nothing in it is generated.
 */
final class NoModelAnswer {

    static final String FINISH_REASON = "no_model";

    static final String NOTICE = "No language model is reachable, so nothing was generated. "
            + "These are the passages found in your documents, best first:";

    private NoModelAnswer() {
    }

    /** Whether {@code error} means that no model is reachable, rather than that the model failed while answering. */
    static boolean applies(Throwable error) {
        return error instanceof LlmException llm
                && (llm.kind() == LlmException.Kind.UNAVAILABLE || llm.kind() == LlmException.Kind.MODEL_NOT_FOUND);
    }

    static String text(List<Source> sources) {
        StringBuilder text = new StringBuilder(NOTICE);
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            text.append("\n\n[").append(i + 1).append("] ").append(source.filename());
            if (source.section() != null) {
                text.append(" (").append(source.section()).append(')');
            }
            text.append('\n').append(source.text());
        }
        return text.toString();
    }
}
