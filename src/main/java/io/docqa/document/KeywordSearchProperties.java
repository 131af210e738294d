package io.docqa.document;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keyword search. {@code textSearchConfig}: the PostgreSQL text-search configuration (stemming, stop words) with which
 * chunks are indexed and questions parsed; changing it affects chunks stored afterwards. {@code commonTermShare}: a
 * word found in more than this share of all chunks (PostgreSQL's own statistics of the index column) is common: it
 * still counts in the ranking, but a chunk is only found by common words when it holds all of them, which keeps a
 * question made of everyday words from ranking every chunk of a tenant. {@code requestWords}: words that only ask
 * ("Explain ...", "Tell me about ...", "What should I know about ..."), which the keyword path leaves out of a question
 * (stop words already are): rare in documents, they would otherwise weigh more than what the question is about.
 */
@ConfigurationProperties("docqa.retrieval")
record KeywordSearchProperties(@DefaultValue("english") String textSearchConfig, @DefaultValue("0.05") double commonTermShare,
        @DefaultValue("explain tell know describe") String requestWords) {

    KeywordSearchProperties {
        if (!textSearchConfig.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new IllegalArgumentException("docqa.retrieval.text-search-config must name a text-search configuration, such as english or simple");
        }
        if (!(commonTermShare > 0 && commonTermShare <= 1)) {
            throw new IllegalArgumentException("docqa.retrieval.common-term-share must be above 0 and at most 1");
        }
        if (requestWords.length() > 1000) {
            throw new IllegalArgumentException("docqa.retrieval.request-words must be at most 1000 characters");
        }
    }
}
