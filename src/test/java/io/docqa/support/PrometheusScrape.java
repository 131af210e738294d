package io.docqa.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** One scrape of {@code /actuator/prometheus}: every series (name and labels as written) and its value. */
public final class PrometheusScrape {

    private final String text;
    private final Map<String, Double> series = new LinkedHashMap<>();

    private PrometheusScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    public static PrometheusScrape of(WebTestClient http) {
        return new PrometheusScrape(http.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServiceProperties.SCRAPE_TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    public String text() {
        return text;
    }

    /** The names of every series ({@code docqa_answer_first_token_seconds_bucket}, ...). */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        series.keySet().forEach(key -> names.add(key.contains("{") ? key.substring(0, key.indexOf('{')) : key));
        return names;
    }

    /**
     * The sum of the series of that name whose labels include every {@code label="value"} given (0 when none):
     * {@code value("docqa_answers_total", "outcome=\"stop\"")}.
     */
    public double value(String name, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> entry : series.entrySet()) {
            String key = entry.getKey();
            boolean named = key.equals(name) || key.startsWith(name + "{");
            if (named && Set.of(labels).stream().allMatch(label -> key.contains("{" + label) || key.contains("," + label))) {
                sum += entry.getValue();
            }
        }
        return sum;
    }

    /** How much the series grew from {@code before} to this scrape. */
    public double increase(PrometheusScrape before, String name, String... labels) {
        return value(name, labels) - before.value(name, labels);
    }
}
