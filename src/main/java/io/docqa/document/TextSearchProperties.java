package io.docqa.document;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PostgreSQL text-search configuration (stemming, stop words) with which chunks are indexed and questions parsed
 * for keyword search. Changing it affects chunks stored afterwards; older ones keep the configuration they were
 * indexed with until re-uploaded.
 */
@ConfigurationProperties("docqa.retrieval")
record TextSearchProperties(@DefaultValue("english") String textSearchConfig) {

    TextSearchProperties {
        if (!textSearchConfig.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new IllegalArgumentException("docqa.retrieval.text-search-config must name a text-search configuration, such as english or simple");
        }
    }
}
