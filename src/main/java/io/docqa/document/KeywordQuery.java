package io.docqa.document;

/**
 * What a keyword search looks for: the words of {@code question}, and for a follow-up question also those of the
 * {@code earlier} questions, which weigh {@code earlierWeight} times as much.
 */
public record KeywordQuery(String question, String earlier, double earlierWeight) {

    public static KeywordQuery of(String question) {
        return new KeywordQuery(question, "", 0);
    }
}
