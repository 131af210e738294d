package io.docqa.ai;

/** What a model stream emits: tokens as they are produced, then exactly one {@link Completed}. */
public sealed interface ChatChunk {

    /** A piece of the answer, leading and trailing spaces included. */
    record Token(String text) implements ChatChunk {
    }

    /** The end of a complete answer; {@code finishReason} is {@code stop} or {@code length} (the output cap). */
    record Completed(String finishReason, int promptTokens, int completionTokens) implements ChatChunk {
    }
}
