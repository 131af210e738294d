package io.docqa.document;

/**
 * What a keyword search looks for: any word of {@code question} (OR semantics, for recall), and for a follow-up
 * question also any word of the {@code earlier} questions, whose matches count {@code earlierWeight} times as much.
 */
public record KeywordQuery(String question, String earlier, double earlierWeight) {

    public static KeywordQuery of(String question) {
        return new KeywordQuery(question, "", 0);
    }

    boolean hasEarlier() {
        return !earlier.isBlank() && earlierWeight > 0;
    }
}
